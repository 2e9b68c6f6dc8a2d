# A default value reads a local in a lambda sent to a thread pool: threads pickle nothing, so nothing is reported.
from multiprocessing.pool import ThreadPool


def main():
    n = 5
    with ThreadPool(2) as pool:
        print(pool.map(lambda x, n=n: x * n, [1, 2]))


if __name__ == "__main__":
    main()
