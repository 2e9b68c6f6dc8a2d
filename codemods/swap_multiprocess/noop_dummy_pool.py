# multiprocessing.dummy runs threads: a lambda there is never pickled.
from multiprocessing.dummy import Pool

if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.map(lambda s: s.upper(), ["a", "b"]))
