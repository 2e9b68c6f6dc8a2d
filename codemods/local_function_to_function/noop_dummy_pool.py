# multiprocessing.dummy runs a local function in threads.
from multiprocessing.dummy import Pool


def main():
    def work(x):
        return -x

    with Pool(2) as pool:
        print(pool.map(work, [1, 2]))


if __name__ == "__main__":
    main()
