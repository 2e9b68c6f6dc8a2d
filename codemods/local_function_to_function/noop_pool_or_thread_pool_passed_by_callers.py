# One caller passes a process pool, another a thread pool: the parameter is not surely a process pool.
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def scale_all(executor, factor):
    def scale(x):
        return x * factor

    return list(executor.map(scale, [1, 2, 3]))


def main():
    with ThreadPoolExecutor(2) as executor:
        print(scale_all(executor, 10))
    with ProcessPoolExecutor(2) as executor:
        print(executor.submit(abs, -3).result())


def other():
    with ProcessPoolExecutor(2) as executor:
        return scale_all(executor, 2)


if __name__ == "__main__":
    main()
