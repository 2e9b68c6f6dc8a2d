# `Pool` from `from multiprocessing.dummy import *` is a pool of threads, also after a star import of
# multiprocessing: nothing to do.
from multiprocessing import *
from multiprocessing.dummy import *


def main():
    with Pool(2) as pool:
        print(pool.map(lambda x: x * 3, [1, 2]))


if __name__ == "__main__":
    main()
