# A local read by the lambda is assigned after it: binding it early would raise UnboundLocalError.
from multiprocessing import Pool


def main():
    f = lambda x: x * factor
    factor = 3
    with Pool(2) as pool:
        print(pool.map(f, [1, 2]))


if __name__ == "__main__":
    main()
