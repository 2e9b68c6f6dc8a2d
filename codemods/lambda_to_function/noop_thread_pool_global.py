# A module global that a function sets to a thread pool: nothing is pickled, nothing to do.
from multiprocessing.pool import ThreadPool

POOL = None


def start(workers):
    global POOL
    POOL = ThreadPool(workers)


def square_all(values):
    return POOL.map(lambda v: v * v, values)


if __name__ == "__main__":
    start(2)
    print(square_all([1, 2, 3]))
    POOL.close()
    POOL.join()
