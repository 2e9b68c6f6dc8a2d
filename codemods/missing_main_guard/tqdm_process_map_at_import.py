# tqdm's process_map called at module level starts processes at import time: spawned children run it again.
from tqdm.contrib.concurrent import process_map


def square(x):
    return x * x


print(process_map(square, [1, 2, 3], max_workers=2, disable=True))
