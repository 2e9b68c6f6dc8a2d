# TABLE must stay (a worker reads it), but the call that builds it prints after a banner that moves: no fix.
from multiprocessing import Pool


def load():
    print("loading")
    return {1: "one", 2: "two"}


print("start")
TABLE = load()


def name(x):
    return TABLE[x]


with Pool(2) as pool:
    print(pool.map(name, [1, 2]))
