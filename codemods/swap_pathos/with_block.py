# A `with` block twice in a row, a local function and a positional chunksize.
from multiprocessing import Pool, cpu_count


def main():
    base = 10

    def shifted(x):
        return x + base

    with Pool(2) as pool:
        print(pool.map(shifted, range(4), 2))
    with Pool(2) as pool:
        print(sorted(pool.imap_unordered(shifted, range(3))))
        print(list(pool.imap(shifted, range(3), 1)))
    print(cpu_count() > 0)


if __name__ == "__main__":
    main()
