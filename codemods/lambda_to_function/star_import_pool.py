# A pool made through `from multiprocessing import *` is a process pool: its lambda moves to a function.
from multiprocessing import *


def main():
    with Pool(2) as pool:
        print(pool.map(lambda x: x * 3, [1, 2]))


if __name__ == "__main__":
    main()
