# `pool` is a process pool on one branch and a thread pool on the other: unsure, so nothing.
import sys
from multiprocessing import Pool
from multiprocessing.pool import ThreadPool


def main(use_processes):
    if use_processes:
        pool = Pool(2)
    else:
        pool = ThreadPool(2)
    try:
        print(pool.map(lambda x: x + 100, [1, 2]))
    finally:
        pool.close()
        pool.join()


if __name__ == "__main__":
    main(len(sys.argv) > 5)
