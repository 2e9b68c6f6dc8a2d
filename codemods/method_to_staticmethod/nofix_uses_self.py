# `work` reads self.factor while self holds a pool: reported without a fix, naming the pool.
import multiprocessing


class Runner:
    def __init__(self, factor):
        self.factor = factor
        self.pool = multiprocessing.Pool(2)

    def work(self, x):
        return x * self.factor

    def run(self, items):
        return self.pool.map(self.work, items)


if __name__ == "__main__":
    runner = Runner(3)
    try:
        print(runner.run([1, 2]))
    finally:
        runner.pool.terminate()
