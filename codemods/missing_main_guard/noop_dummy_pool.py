# multiprocessing.dummy at module level: threads, not processes.
from multiprocessing.dummy import Pool

with Pool(2) as pool:
    print(pool.map(abs, [-1, -2]))
