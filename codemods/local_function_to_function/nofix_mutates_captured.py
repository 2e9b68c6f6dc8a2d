# The local function writes into a dict of its function: the parent would never see it, so no fix.
import multiprocessing


def main():
    totals = {}

    def work(x):
        totals[x] = x * x
        return x

    with multiprocessing.Pool(2) as pool:
        print(pool.map(work, [1, 2]))
    print(totals)


if __name__ == "__main__":
    main()
