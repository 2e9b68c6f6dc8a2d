# A pool kept on `self`; the lambda does not use `self`, so it can move.
import multiprocessing as mp


class Runner:
    def __init__(self):
        self.pool = mp.get_context().Pool(2)

    def run(self, items, factor):
        return self.pool.starmap(lambda a, b: (a + b) * factor, items)

    def close(self):
        self.pool.close()
        self.pool.join()


if __name__ == "__main__":
    runner = Runner()
    print(runner.run([(1, 2), (3, 4)], 10))
    runner.close()
