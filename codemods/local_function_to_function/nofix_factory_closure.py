# A worker made by a factory of the same file is a closure: reported, without a fix (its other callers
# may rely on it being one).
import multiprocessing


def make_worker(scale):
    def worker(x):
        return x * scale

    return worker


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print(pool.map(make_worker(3), [1, 2]))
