# The lambda calls a function defined under the __main__ guard, which a spawned child never defines.
from multiprocessing import Pool

if __name__ == "__main__":
    def bump(x):
        return x + 1

    with Pool(2) as pool:
        print(pool.map(lambda x: bump(x) * 2, [1, 2]))
