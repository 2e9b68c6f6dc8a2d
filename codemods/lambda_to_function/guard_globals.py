# Names bound only under the __main__ guard do not exist in a spawned child: they are passed explicitly.
from multiprocessing import Pool

BASE = 1000

if __name__ == "__main__":
    factor = 3
    with Pool(2) as pool:
        print(pool.map(lambda x: BASE + x * factor, [1, 2, 3]))
