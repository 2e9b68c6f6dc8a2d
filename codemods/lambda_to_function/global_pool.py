# A module global that a function sets to a process pool (`global POOL`) is that pool where it is used.
import multiprocessing

POOL = None


def start(workers):
    global POOL
    POOL = multiprocessing.Pool(workers)


def square_all(values):
    return POOL.map(lambda v: v * v, values)


if __name__ == "__main__":
    start(2)
    print(square_all([1, 2, 3]))
    POOL.close()
    POOL.join()
