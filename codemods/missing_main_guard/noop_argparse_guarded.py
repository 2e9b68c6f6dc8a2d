# Arguments parsed under the guard, next to the pool: nothing to do.
import argparse
from multiprocessing import Pool


def scale(x):
    return x * 10


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2)
    args = parser.parse_args()
    with Pool(2) as pool:
        print(pool.map(scale, range(args.count)))
