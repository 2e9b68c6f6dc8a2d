# The pool is created before the def it runs (under fork its children never see `triple` and it hangs):
# the guard goes below the definitions.
import multiprocessing

pool = multiprocessing.Pool(2)


def triple(x):
    return 3 * x


print(pool.map(triple, [1, 2, 3]))
pool.close()
pool.join()
