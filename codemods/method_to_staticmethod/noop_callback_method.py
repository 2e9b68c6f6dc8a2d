# callback=self.collect runs in the parent: never pickled.
import threading
from multiprocessing import Pool


def square(x):
    return x * x


class Collector:
    def __init__(self):
        self.lock = threading.Lock()
        self.results = []

    def collect(self, value):
        with self.lock:
            self.results.append(value)

    def run(self):
        with Pool(2) as pool:
            pool.apply_async(square, (5,), callback=self.collect).wait()
        return self.results


if __name__ == "__main__":
    print(Collector().run())
