# A multiprocessing Lock captured by the lambda reaches a child only by inheritance, whatever pickles it: refused.
import multiprocessing


def main():
    lock = multiprocessing.Lock()
    with multiprocessing.Pool(2) as pool:
        print(pool.map(lambda n: lock.acquire(timeout=1) and n, range(3)))


if __name__ == "__main__":
    main()
