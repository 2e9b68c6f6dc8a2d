# The function calls a local helper that captures a local itself: reported without a fix.
import multiprocessing


def main():
    bonus = 5

    def add_bonus(x):
        return x + bonus

    def work(x):
        return add_bonus(x) * 2

    with multiprocessing.Pool(2) as pool:
        print(pool.map(work, [1, 2]))


if __name__ == "__main__":
    main()
