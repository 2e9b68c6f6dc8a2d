# A banner printed before the pool moves under the guard with it: printed once, not once per worker.
from multiprocessing import Pool


def double(x):
    return 2 * x


print("banner")
# The pool doubles.
pool = Pool(2)
print(pool.map(double, [1, 2]))
pool.close()
pool.join()
