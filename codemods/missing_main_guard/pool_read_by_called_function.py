# A module-level pool read only by a function that the script calls: the pool and the call move under the guard.
import multiprocessing


def square(x):
    return x * x


pool = multiprocessing.Pool(2)


def run():
    return pool.map(square, [1, 2])


print(run())
pool.close()
