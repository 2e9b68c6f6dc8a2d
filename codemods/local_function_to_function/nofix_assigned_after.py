# The function reads a local assigned after the def: binding it there would raise UnboundLocalError.
import multiprocessing


def main():
    def work(x):
        return x * factor

    factor = 4
    with multiprocessing.Pool(2) as pool:
        print(pool.map(work, [1, 2]))


if __name__ == "__main__":
    main()
