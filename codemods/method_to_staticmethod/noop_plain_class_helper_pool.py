# A plain class (not a TestCase) with nothing unpicklable on self maps self.double over a Pool: it pickles.
from multiprocessing import Pool


class Doubler:
    def __init__(self):
        self.name = "doubler"

    def double(self, n):
        return n * 2

    def run(self):
        with Pool(2) as pool:
            return pool.map(self.double, [1, 2])


if __name__ == "__main__":
    print(Doubler().run())
