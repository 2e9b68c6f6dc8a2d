# A static method named `__work` is stored as `_Runner__work`: pickle cannot find it, so no fix.
import multiprocessing


class Runner:
    def __init__(self):
        self.pool = multiprocessing.Pool(2)

    def __work(self, x):
        return x + 1

    def run(self):
        try:
            return self.pool.map(self.__work, [1])
        finally:
            self.pool.terminate()


if __name__ == "__main__":
    print(Runner().run())
