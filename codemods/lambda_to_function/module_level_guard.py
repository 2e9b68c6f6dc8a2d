#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# A lambda at module level inside the __main__ guard: the function goes above the guard.
from concurrent.futures import ProcessPoolExecutor

if __name__ == "__main__":
    with ProcessPoolExecutor(2) as ex:
        print(list(ex.map(lambda w: len(w), ["é", "spam", "eggs"])))
