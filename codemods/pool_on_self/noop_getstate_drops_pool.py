# `self` sent with a task while it keeps a pool, but its __getstate__ drops the pool: it pickles.
import multiprocessing


def describe(obj):
    return type(obj).__name__


class Service:
    def __init__(self):
        self.pool = multiprocessing.Pool(2)

    def __getstate__(self):
        return {key: value for key, value in self.__dict__.items() if key != "pool"}

    def run(self):
        try:
            return self.pool.apply(describe, (self,))
        finally:
            self.pool.terminate()


if __name__ == "__main__":
    print(Service().run())
