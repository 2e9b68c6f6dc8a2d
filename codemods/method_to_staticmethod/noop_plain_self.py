# A bound method of a plain object pickles fine: nothing to report.
import multiprocessing


class Doubler:
    def __init__(self, factor):
        self.factor = factor

    def work(self, x):
        return x * self.factor

    def run(self, items):
        with multiprocessing.Pool(2) as pool:
            return pool.map(self.work, items)


if __name__ == "__main__":
    print(Doubler(2).run([1, 2]))
