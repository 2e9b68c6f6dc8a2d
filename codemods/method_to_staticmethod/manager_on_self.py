# `self` keeps a `multiprocessing` manager (its key refuses pickling): a target that never uses `self`
# becomes a static method, so that `self` is not sent.
import multiprocessing


class Store:
    def __init__(self):
        self.manager = multiprocessing.Manager()
        self.values = self.manager.dict()

    def fill(self, values, key):
        values[key] = key * 10

    def run(self):
        p = multiprocessing.Process(target=self.fill, args=(self.values, 3))
        p.start()
        p.join()
        print(dict(self.values))
        self.manager.shutdown()


if __name__ == "__main__":
    Store().run()
