# A local `Pool` class shadows nothing from multiprocessing; `mp` is rebound to another module.
import multiprocessing
import multiprocessing.dummy as mp


class Pool:
    def map(self, fn, items):
        return [fn(i) for i in items]


if __name__ == "__main__":
    print(Pool().map(lambda x: x - 1, [5, 6]))
    with mp.Pool(2) as pool:
        print(pool.map(lambda x: x + 1, [5, 6]))
    print(multiprocessing.parent_process() is None)
