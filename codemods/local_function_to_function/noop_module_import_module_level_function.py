# A module-level function that uses a module-level import goes to a pool: nothing to move.
import multiprocessing
import os


def work(name):
    return os.path.join("data", name)


def main():
    with multiprocessing.Pool(2) as pool:
        print(pool.map(work, ["a", "b"]))


if __name__ == "__main__":
    main()
