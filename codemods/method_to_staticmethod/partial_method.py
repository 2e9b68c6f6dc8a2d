# functools.partial(self.work, ...) with a pool on self; annotated, multi-line signature.
import functools
from multiprocessing import Pool


class Scaler:
    def __init__(self):
        self.pool = Pool(2)

    def scale(
        self,
        value: int,
        factor: int = 1,
    ) -> int:
        return value * factor

    def run(self):
        try:
            return self.pool.map(functools.partial(self.scale, factor=10), [1, 2])
        finally:
            self.pool.close()
            self.pool.join()


if __name__ == "__main__":
    print(Scaler().run())
