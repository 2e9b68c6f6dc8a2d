# A module-level pool that functions use: it cannot move under the guard, so no fix.
import multiprocessing


def square(x):
    return x * x


pool = multiprocessing.Pool(2)


def run():
    return pool.map(square, [1, 2])


print(run())
pool.close()
