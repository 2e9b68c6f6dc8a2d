# The lambda calls a local function, which cannot be pickled either: reported without a fix.
import multiprocessing


def main():
    def inc(x):
        return x + 1

    with multiprocessing.Pool(2) as pool:
        print(pool.map(lambda x: inc(x) * 2, [1, 2]))


if __name__ == "__main__":
    main()
