# A closure made by a factory, handed to a thread pool: nothing is pickled, nothing to do.
from multiprocessing.pool import ThreadPool


def make_worker(scale):
    def worker(x):
        return x * scale

    return worker


if __name__ == "__main__":
    with ThreadPool(2) as pool:
        print(pool.map(make_worker(3), [1, 2]))
