# A pool made by a function of the same file is the process pool its caller uses.
import multiprocessing


def make_pool(workers):
    if workers < 2:
        return None
    pool = multiprocessing.Pool(workers)
    return pool


def main():
    with make_pool(2) as pool:
        print(pool.map(lambda x: x + 100, range(3)))


if __name__ == "__main__":
    main()
