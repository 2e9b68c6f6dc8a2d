# Lambdas kept in a list and handed to a thread pool: nothing is pickled, nothing to do.
from multiprocessing.pool import ThreadPool

STEPS = [lambda x: x + 1, lambda x: x * 2]

if __name__ == "__main__":
    with ThreadPool(2) as pool:
        for i in range(len(STEPS)):
            print(pool.map(STEPS[i], [1, 2]))
