# A def behind a lone backslash line: the backslash would stay behind, joined to the next line; no fix.
import multiprocessing


def main():
    print("start")
    \
    def work(x):
        return x * 2

    with multiprocessing.Pool(2) as pool:
        print(pool.map(work, [1, 2]))


if __name__ == "__main__":
    main()
