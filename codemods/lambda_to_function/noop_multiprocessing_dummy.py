# multiprocessing.dummy.Pool is a thread pool with the Pool API.
from multiprocessing.dummy import Pool

if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.map(lambda x: x * 3, [1, 2]))
