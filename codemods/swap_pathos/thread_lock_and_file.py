# dill pickles a threading.Lock (a new one in the child) and a file open for reading (reopened by name): swapped.
import os
import threading
from multiprocessing import Pool


def main():
    lock = threading.Lock()
    source = open(__file__)
    with Pool(2) as pool:
        print(pool.map(lambda n: (os.path.basename(source.name), lock.acquire(timeout=1) and n), range(3)))
    source.close()


if __name__ == "__main__":
    main()
