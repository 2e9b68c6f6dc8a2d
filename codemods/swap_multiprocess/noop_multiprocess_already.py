# Already on multiprocess: dill pickles the lambda and the local function; no finding.
import multiprocess


def main():
    def half(x):
        return x / 2

    with multiprocess.Pool(2) as pool:
        print(pool.map(half, [2, 4]), pool.map(lambda x: x * 2, [1]))


if __name__ == "__main__":
    main()
