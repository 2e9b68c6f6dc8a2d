# Parenthesized arguments with module-level functions: they pickle, nothing to swap.
import multiprocessing
from multiprocessing import Pool


def shifted(x):
    return x + 10


def product(a, b):
    return a * b


def negated(x):
    return -x


def main():
    with Pool(2) as pool:
        print(pool.map(shifted, (range(3)), (2)))
        print(pool.starmap(product, ([(1, 2), (3, 4)])))
    with multiprocessing.Pool(1) as other:
        print(other.map(negated, [1, 2]))


if __name__ == "__main__":
    main()
