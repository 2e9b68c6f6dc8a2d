# tqdm's thread_map at module level starts only threads: no guard is needed.
from tqdm.contrib.concurrent import thread_map


def square(x):
    return x * x


print(thread_map(square, [1, 2, 3], max_workers=2, disable=True))
