# A module-level call of a function that starts a pool.
import multiprocessing as mp


def double(x):
    return 2 * x


def run():
    with mp.Pool(2) as pool:
        return pool.map(double, [4, 5])


def main():
    print(run())


main()
