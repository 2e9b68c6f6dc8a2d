#!/usr/bin/env python3
"""A script with every problem at once: no __main__ guard, a lambda and a local function for the pool."""
import multiprocessing


def report(scale):
    def shift(x):
        return x + scale

    with multiprocessing.Pool(2) as pool:
        print(pool.map(shift, [1, 2]))
        print(pool.map(lambda x: x * scale, [1, 2]))


with multiprocessing.Pool(2) as pool:
    print(pool.map(abs, [-3, 4]))
report(10)
