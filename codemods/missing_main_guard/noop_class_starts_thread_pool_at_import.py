# A class whose `__init__` makes a thread pool, instantiated at module level: no process starts.
from multiprocessing.pool import ThreadPool


def square(x):
    return x * x


class Squarer:
    def __init__(self):
        self.pool = ThreadPool(2)

    def run(self, values):
        try:
            return self.pool.map(square, values)
        finally:
            self.pool.close()
            self.pool.join()


squarer = Squarer()
print(squarer.run([1, 2, 3]))
