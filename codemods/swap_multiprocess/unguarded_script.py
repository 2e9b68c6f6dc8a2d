#!/usr/bin/env python3
# No __main__ guard and a lambda: the swap fixes the pickling, PF004 still adds the guard.
import multiprocessing

pool = multiprocessing.Pool(2)
print(pool.map(lambda x: x * 11, range(3)))
pool.close()
pool.join()
