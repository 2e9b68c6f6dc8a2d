# A local class whose `__reduce__` rebuilds its instances without naming the class: they pickle fine.
import multiprocessing as mp


def work(x):
    class Result:
        def __init__(self, v):
            self.v = v

        def __reduce__(self):
            return (tuple, ((self.v, self.v * 2),))

    return Result(x)


def main():
    with mp.Pool(1) as pool:
        print(pool.map(work, [1, 2, 3]))


if __name__ == "__main__":
    main()
