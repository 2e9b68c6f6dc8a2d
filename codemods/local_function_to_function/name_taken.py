# A module-level `work` already exists: the local one moves under a new name and is bound back.
import multiprocessing


def work(x):
    return "module-level"


def main():
    def work(x):
        return x + 1

    with multiprocessing.Pool(2) as pool:
        print(pool.map(work, [1, 2]))
    print(globals()["work"](0))


if __name__ == "__main__":
    main()
