# A default value reads a local variable, which a module-level function cannot see.
from multiprocessing import Pool


def main():
    n = 5
    with Pool(2) as pool:
        print(pool.map(lambda x, n=n: x * n, [1, 2]))


if __name__ == "__main__":
    main()
