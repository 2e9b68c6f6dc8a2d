# Code that already uses a module-level function and functools.partial.
import functools
import multiprocessing


def scale(x, *, factor):
    return x * factor


def main():
    factor = 4
    with multiprocessing.Pool(2) as pool:
        print(pool.map(functools.partial(scale, factor=factor), [1, 2, 3]))


if __name__ == "__main__":
    main()
