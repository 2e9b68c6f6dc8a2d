# A class whose `__init__` makes a pool only when asked for workers, instantiated without: no process
# starts at import time.
import multiprocessing as mp


class Runner:
    def __init__(self, workers=0):
        self.pool = mp.Pool(workers) if workers else None

    def run(self, xs):
        if self.pool is None:
            return [abs(x) for x in xs]
        return self.pool.map(abs, xs)


DEFAULT = Runner()
print(DEFAULT.run([-1, -2]))
