# A guarded script whose banner is already under the guard: nothing to do.
from multiprocessing import Pool


def double(x):
    return 2 * x


if __name__ == "__main__":
    print("banner")
    with Pool(2) as pool:
        print(pool.map(double, [1, 2]))
