#!/usr/bin/env python3
# A script (shebang: the fix is safe) that starts a Process at import time.
from multiprocessing import Process


def greet(name):
    print("hello", name, flush=True)


proc = Process(target=greet, args=("child",))
proc.start()
proc.join()
print("exit code", proc.exitcode)
