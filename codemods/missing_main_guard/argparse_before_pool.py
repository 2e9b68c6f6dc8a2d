# Arguments parsed before the pool move under the guard: parsed and printed once, by the parent.
import argparse
from multiprocessing import Pool


def scale(x):
    return x * 10


parser = argparse.ArgumentParser(description="scales numbers")
parser.add_argument("--count", type=int, default=3)
args = parser.parse_args()
print("count:", args.count)
with Pool(2) as pool:
    print(pool.map(scale, range(args.count)))
