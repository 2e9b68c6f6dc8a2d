# Already on pathos: dill pickles the lambda, so there is no finding.
from pathos.multiprocessing import ProcessingPool as Pool

if __name__ == "__main__":
    pool = Pool(2)
    print(pool.map(lambda a, b: a + b, [1, 2], [10, 20]))
    pool.close()
    pool.join()
    pool.clear()
