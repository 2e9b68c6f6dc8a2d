# A pool that arrives as a parameter cannot be resolved: nothing is reported.
import multiprocessing
from multiprocessing.pool import ThreadPool


def run(pool):
    def work(x):
        return x * 7

    return pool.map(work, [1, 2])


if __name__ == "__main__":
    with ThreadPool(2) as tp:
        print(run(tp), multiprocessing.cpu_count() > 0)
