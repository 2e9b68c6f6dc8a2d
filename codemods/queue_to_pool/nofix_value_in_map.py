# Shared Values inside the iterable of Pool.map.
from multiprocessing import Pool, Value


def read(counter):
    return counter.value


if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.map(read, [Value("i", 1), Value("i", 2)]))
