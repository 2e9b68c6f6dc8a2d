# self.lock is the threading.Lock every construction site passes to __init__: self.square pickles it.
import threading
from multiprocessing import Pool


class Counter:
    def __init__(self, lock):
        self.lock = lock
        self.total = 0

    def square(self, n):
        return n * n

    def run(self, numbers):
        with Pool(2) as pool:
            for result in pool.map(self.square, numbers):
                with self.lock:
                    self.total += result
        return self.total


if __name__ == "__main__":
    print(Counter(threading.Lock()).run([1, 2, 3]))
