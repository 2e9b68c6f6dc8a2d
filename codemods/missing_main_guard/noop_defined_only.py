# Pools inside functions that are only defined, and called under the guard.
import multiprocessing


def square(x):
    return x * x


def run():
    with multiprocessing.Pool(2) as pool:
        return pool.map(square, [5])


if __name__ == "__main__":
    print(run())
