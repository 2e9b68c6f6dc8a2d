# `Runner.work(runner, 1)` calls it unbound: removing `self` would break that call.
import threading
import multiprocessing


class Runner:
    def __init__(self):
        self.lock = threading.Lock()

    def work(self, x):
        return x * 3

    def run(self):
        with multiprocessing.Pool(2) as pool:
            return pool.map(self.work, [1, 2])


if __name__ == "__main__":
    runner = Runner()
    print(Runner.work(runner, 1))
    print(runner.run())
