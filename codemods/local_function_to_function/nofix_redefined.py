# A local function defined twice, depending on a condition: reported without a fix.
import sys
import multiprocessing


def main():
    if len(sys.argv) > 1:
        def work(x):
            return x + 1
    else:
        def work(x):
            return x - 1

    with multiprocessing.Pool(2) as pool:
        print(pool.map(work, [1, 2]))


if __name__ == "__main__":
    main()
