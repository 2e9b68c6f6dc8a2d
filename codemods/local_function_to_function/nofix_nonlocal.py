# A local function that rebinds a variable of its function with nonlocal: reported without a fix.
import multiprocessing


def main():
    calls = 0

    def work(x):
        nonlocal calls
        calls += 1
        return x

    with multiprocessing.Pool(2) as pool:
        print(pool.map(work, [1, 2]), calls)


if __name__ == "__main__":
    main()
