# random.seed must stay for the workers, but a draw above it would then see the seeded generator: no fix.
import random
from multiprocessing import Pool


def draw(_):
    return random.randint(0, 1000)


print(random.randint(0, 1000) >= 0)
random.seed(7)
with Pool(1) as pool:
    print(pool.map(draw, [1, 2]))
