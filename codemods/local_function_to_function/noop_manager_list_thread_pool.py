# A local function appends to a list from a thread pool: threads share memory and pickle nothing.
from multiprocessing.pool import ThreadPool


def main():
    seen = []

    def record(x):
        seen.append(x * 10)

    with ThreadPool(2) as pool:
        pool.map(record, [1, 2, 3])
    print(sorted(seen))


if __name__ == "__main__":
    main()
