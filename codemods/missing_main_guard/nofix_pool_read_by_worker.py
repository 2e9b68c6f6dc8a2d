# A module-level pool read by a function that the workers run: it must stay importable, so no fix.
import multiprocessing


def square(x):
    return x * x


def work(x):
    return square(x) if pool is not None else 0


pool = multiprocessing.Pool(2)
print(pool.map(work, [1, 2]))
pool.close()
