# Generator objects inside the task iterable: each one is pickled, and pickle refuses generators.
from multiprocessing import Pool


def numbers(n):
    yield from range(n)


def total(gen):
    return sum(gen)


if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.map(total, [numbers(3), numbers(4)]))
