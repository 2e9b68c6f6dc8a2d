# A thread pool at module level starts no process.
import multiprocessing
from concurrent.futures import ThreadPoolExecutor

with ThreadPoolExecutor(2) as ex:
    print(list(ex.map(str.upper, ["a", "b"])), multiprocessing.cpu_count() > 0)
