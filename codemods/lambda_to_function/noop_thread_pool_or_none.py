# A thread pool or None: nothing is pickled, nothing to do.
from concurrent.futures import ThreadPoolExecutor


def main(workers):
    pool = ThreadPoolExecutor(workers) if workers > 1 else None
    if pool is None:
        print([x * 10 for x in range(3)])
        return
    with pool:
        print(list(pool.map(lambda x: x * 10, range(3))))


if __name__ == "__main__":
    main(2)
