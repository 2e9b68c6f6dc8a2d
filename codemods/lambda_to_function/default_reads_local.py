# A default value reads a local: `map` never passes that parameter, so the value is bound with functools.partial where the lambda stood.
from multiprocessing import Pool


def main():
    n = 5
    with Pool(2) as pool:
        print(pool.map(lambda x, n=n: x * n, [1, 2]))


if __name__ == "__main__":
    main()
