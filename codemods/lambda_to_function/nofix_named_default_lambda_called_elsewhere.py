# A named lambda whose default reads a local is also called directly with that parameter: binding it early would break that call, so no fix.
from multiprocessing import Pool


def main():
    n = 5
    f = lambda x, n=n: x * n
    print(f(1, 2))
    with Pool(2) as pool:
        print(pool.map(f, [1, 2]))


if __name__ == "__main__":
    main()
