# A pool created in a module-level try block.
import multiprocessing


def inc(x):
    return x + 1


pool = multiprocessing.Pool(2)
try:
    print(pool.map(inc, [1, 2]))
finally:
    pool.close()
    pool.join()
