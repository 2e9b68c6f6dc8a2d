# A parameter annotated with a process pool is one: the local function handed to it moves.
from multiprocessing import Pool
from typing import Optional


def scale_all(pool: Optional[Pool], factor):
    def scale(x):
        return x * factor

    return pool.map(scale, [1, 2, 3])


if __name__ == "__main__":
    with Pool(2) as pool:
        print(scale_all(pool, 10))
