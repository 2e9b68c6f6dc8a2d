# A parameter annotated with a thread pool: nothing is pickled, nothing to do.
from concurrent.futures import ThreadPoolExecutor


def scale_all(pool: ThreadPoolExecutor, factor):
    def scale(x):
        return x * factor

    return list(pool.map(scale, [1, 2, 3]))


if __name__ == "__main__":
    with ThreadPoolExecutor(2) as pool:
        print(scale_all(pool, 10))
