# A name bound to a partial of a local function, handed to the pool: the local function moves, and the
# partial keeps wrapping it.
import functools
import multiprocessing


def main(scale):
    def work(k, x):
        return k * x * scale

    job = functools.partial(work, 2)
    with multiprocessing.Pool(2) as pool:
        print(pool.map(job, [1, 2, 3]))


if __name__ == "__main__":
    main(10)
