# freeze_support and set_start_method already under the guard, with the pool: nothing to do.
import multiprocessing as mp


def square(x):
    return x * x


if __name__ == "__main__":
    mp.freeze_support()
    mp.set_start_method("spawn")
    with mp.Pool(2) as pool:
        print(pool.map(square, range(4)))
