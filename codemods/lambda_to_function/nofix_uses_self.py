# The lambda reads `self`: reported without a fix (moving it would still pickle `self`).
import multiprocessing


class Scaler:
    def __init__(self, factor):
        self.factor = factor

    def run(self, items):
        with multiprocessing.Pool(2) as pool:
            return pool.map(lambda x: x * self.factor, items)


if __name__ == "__main__":
    print(Scaler(3).run([1, 2]))
