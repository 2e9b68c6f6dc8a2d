# A decorated local function inside a `with` block, with its comments, moves as a whole.
import functools
import multiprocessing as mp


def traced(fn):
    @functools.wraps(fn)
    def wrapper(*args):
        return ("traced", fn(*args))

    return wrapper


def main():
    with mp.Pool(2) as pool:
        # Doubles its input.
        # (Two comment lines travel with it.)
        @traced
        def double(x):
            return 2 * x

        print(pool.map(double, [5, 6]))


if __name__ == "__main__":
    main()
