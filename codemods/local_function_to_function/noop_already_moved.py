# The result of the fix: a module-level function bound with functools.partial.
import functools
import multiprocessing


def _main_work(x, *, factor):
    return x * factor


def main():
    factor = 2
    work = functools.partial(_main_work, factor=factor)
    with multiprocessing.Pool(2) as pool:
        print(pool.map(work, [1, 2]))


if __name__ == "__main__":
    main()
