# Nothing unpicklable: --swap multiprocess leaves the file alone.
import multiprocessing


def inc(x):
    return x + 1


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print(pool.map(inc, range(3)))
