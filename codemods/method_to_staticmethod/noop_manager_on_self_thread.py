# `self` keeps a `multiprocessing` manager, but the target runs in a thread: nothing is pickled.
import multiprocessing
import threading


class Store:
    def __init__(self):
        self.manager = multiprocessing.Manager()
        self.values = self.manager.dict()

    def fill(self, key):
        self.values[key] = key * 10

    def run(self):
        t = threading.Thread(target=self.fill, args=(3,))
        t.start()
        t.join()
        print(dict(self.values))
        self.manager.shutdown()


if __name__ == "__main__":
    Store().run()
