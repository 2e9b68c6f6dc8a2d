# multiprocessing.pool.ThreadPool, imported under the name Pool, is not a process pool.
import multiprocessing.pool
from multiprocessing.pool import ThreadPool as Pool

if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.map(lambda x: -x, [1, 2]))
    with multiprocessing.pool.ThreadPool(2) as tp:
        print(tp.apply(lambda: "thread"))
