# A worker made by a factory of the same file is a closure: reported, without a fix (its other callers
# may rely on it being one), whether the call is the argument or a name bound to its result.
import multiprocessing


def make_worker(scale):
    def worker(x):
        return x * scale

    return worker


if __name__ == "__main__":
    triple = make_worker(3)
    with multiprocessing.Pool(2) as pool:
        print(pool.map(triple, [1, 2]))
        print(pool.map(make_worker(2), [1, 2]))
