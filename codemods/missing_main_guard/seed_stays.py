# random.seed stays at module level (forked workers reseed anyway); the parent's draws print as before, once.
import random
from multiprocessing import Pool

random.seed(7)


def double(x):
    return 2 * x


print("first draw:", random.randint(0, 1000))
with Pool(2) as pool:
    print(pool.map(double, [1, 2]))
print("second draw:", random.randint(0, 1000))
