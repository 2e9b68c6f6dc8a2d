# Module-level functions pickle fine: no finding, so --swap leaves the file alone.
from multiprocessing import Pool


def square(x):
    return x * x


if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.starmap(pow, [(2, 3), (3, 2)]), pool.map(square, range(3)))
