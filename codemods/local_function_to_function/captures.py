# Captured locals become keyword-only parameters bound where the def stood; other uses keep working.
from multiprocessing import Pool

OFFSET = 1000


def main():
    factor = 3
    label = "v"

    def work(x):
        return f"{label}{OFFSET + x * factor}"

    print(work(0))
    with Pool(2) as pool:
        print(pool.map(work, [1, 2]))


if __name__ == "__main__":
    main()
