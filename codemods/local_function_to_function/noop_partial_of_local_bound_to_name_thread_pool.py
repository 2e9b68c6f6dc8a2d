# A name bound to a partial of a local function, handed to a thread pool: nothing is pickled.
import functools
from multiprocessing.pool import ThreadPool


def main(scale):
    def work(k, x):
        return k * x * scale

    job = functools.partial(work, 2)
    with ThreadPool(2) as pool:
        print(pool.map(job, [1, 2, 3]))


if __name__ == "__main__":
    main(10)
