# The class keeps a pool but its __getstate__ drops it: self pickles, nothing to do.
from multiprocessing import Pool


class C:
    def __init__(self):
        self.pool = Pool(2)

    def work(self, x):
        return x * 2

    def __getstate__(self):
        state = self.__dict__.copy()
        del state["pool"]
        return state

    def go(self):
        return self.pool.map(self.work, [1, 2])


if __name__ == "__main__":
    c = C()
    print(c.go())
    c.pool.close()
    c.pool.join()
