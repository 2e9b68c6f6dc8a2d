# After the first pool: CONFIG is read by a function and stays; `data` is not, and moves with the pool code.
from multiprocessing import Pool

with Pool(2) as pool:
    print(pool.map(abs, [-1, -2]))

# The numbers to scale.
data = [1, 2]
CONFIG = {"factor": 10}


def scale(x):
    return x * CONFIG["factor"]


with Pool(2) as pool:
    print(pool.map(scale, data))
