# A default value reads a local, and starmap's rows pass that parameter: binding it early would change the result, so no fix.
from multiprocessing import Pool


def main():
    n = 5
    with Pool(2) as pool:
        print(pool.starmap(lambda x, n=n: x * n, [(1, 2), (3, 4)]))


if __name__ == "__main__":
    main()
