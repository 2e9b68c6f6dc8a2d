# Already a static method: pickled by its qualified name, even with a pool on self.
import multiprocessing


class Runner:
    def __init__(self):
        self.pool = multiprocessing.Pool(2)

    @staticmethod
    def work(x):
        return x + 1

    def run(self):
        try:
            return self.pool.map(self.work, [1, 2])
        finally:
            self.pool.close()
            self.pool.join()


if __name__ == "__main__":
    print(Runner().run())
