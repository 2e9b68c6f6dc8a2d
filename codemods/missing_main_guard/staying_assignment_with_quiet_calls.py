# LIMIT stays (a worker reads it) and now runs before the banner; its calls (int, os.environ.get) print nothing.
import os
from multiprocessing import Pool

print("clipping")
LIMIT = int(os.environ.get("PICKFIX_FIXTURE_LIMIT", "3"))


def clip(x):
    return min(x, LIMIT)


with Pool(2) as pool:
    print(pool.map(clip, [1, 5]))
