# A class whose `__init__` makes a process pool, instantiated at module level: importing the module
# starts processes, so a spawned child would make the pool again.
import multiprocessing


def square(x):
    return x * x


class Squarer:
    def __init__(self):
        self.pool = multiprocessing.Pool(2)

    def run(self, values):
        try:
            return self.pool.map(square, values)
        finally:
            self.pool.close()
            self.pool.join()


squarer = Squarer()
print(squarer.run([1, 2, 3]))
