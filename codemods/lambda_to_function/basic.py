# A lambda passed straight to Pool.map becomes a module-level function.
import multiprocessing


def main():
    with multiprocessing.Pool(2) as pool:
        print(pool.map(lambda x: x * 10, [1, 2, 3]))


if __name__ == "__main__":
    main()
