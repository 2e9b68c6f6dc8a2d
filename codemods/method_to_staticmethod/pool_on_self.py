# A pool kept on self: passing self.work pickles self and its pool. `work` never uses self.
import multiprocessing


class Runner:
    def __init__(self):
        self.pool = multiprocessing.Pool(2)

    def work(self, x):
        return x * 2

    def run(self, items):
        return self.pool.map(self.work, items)

    def close(self):
        self.pool.close()
        self.pool.join()


if __name__ == "__main__":
    runner = Runner()
    print(runner.run([1, 2, 3]))
    print(runner.work(10))
    runner.close()
