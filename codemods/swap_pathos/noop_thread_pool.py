# A lambda in a thread pool is never pickled: nothing to swap.
from multiprocessing.pool import ThreadPool

if __name__ == "__main__":
    with ThreadPool(2) as pool:
        print(pool.map(lambda x: -x, range(3)))
