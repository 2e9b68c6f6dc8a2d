# `self` sent with a task while it keeps a pool: pickling self pickles the pool.
import multiprocessing
def describe(obj): return type(obj).__name__
class Service:
    def __init__(self):
        self.pool = multiprocessing.Pool(2)
    def run(self):
        try:
            return self.pool.apply(describe, (self,))
        finally:
            self.pool.terminate()
if __name__ == "__main__":
    print(Service().run())
