# A pool that arrives as a parameter cannot be resolved: say nothing.
import multiprocessing
from multiprocessing.pool import ThreadPool


def run(pool, items):
    return pool.map(lambda x: x * 2, items)


if __name__ == "__main__":
    with ThreadPool(2) as tp:
        print(run(tp, [1, 2]))
    print(multiprocessing.current_process().name)
