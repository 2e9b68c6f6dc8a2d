# A library module that only defines pool helpers and runs nothing at import.
import multiprocessing

WORKERS = 2


def square(x):
    return x * x


def parallel_squares(items):
    with multiprocessing.Pool(WORKERS) as pool:
        return pool.map(square, items)


if __name__ == "__main__":
    print(parallel_squares([7]))
