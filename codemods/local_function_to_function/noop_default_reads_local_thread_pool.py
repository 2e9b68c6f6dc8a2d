# The same default that reads a local, handed to a thread pool: nothing is pickled, nothing to do.
from concurrent.futures import ThreadPoolExecutor


def main(n):
    def job(x, scale=n):
        return x * scale

    print(job(1, 10))
    with ThreadPoolExecutor(2) as pool:
        print(list(pool.map(job, [1, 2, 3])))


if __name__ == "__main__":
    main(5)
