# A pebble ProcessPool given a task at module level starts its workers at import time.
import pebble


def square(x):
    return x * x


pool = pebble.ProcessPool(max_workers=2)
print(pool.schedule(square, args=(9,)).result())
pool.close()
pool.join()
