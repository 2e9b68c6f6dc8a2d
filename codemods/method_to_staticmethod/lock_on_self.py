# A threading.Lock on self, tasks submitted to a ProcessPoolExecutor.
import threading
from concurrent.futures import ProcessPoolExecutor


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.total = 0

    def square(self, n):
        return n * n

    def run(self, numbers):
        with ProcessPoolExecutor(2) as ex:
            for result in ex.map(self.square, numbers):
                with self.lock:
                    self.total += result
        return self.total


if __name__ == "__main__":
    print(Counter().run([1, 2, 3]))
