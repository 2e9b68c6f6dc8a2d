# The same class constructed with a number instead of a lock: self pickles, nothing is said.
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
                if self.lock:
                    self.total += result
        return self.total


if __name__ == "__main__":
    print(Counter(1).run([1, 2, 3]))
