# ThreadPoolExecutor runs tasks in threads: nothing is pickled, nothing to fix.
import multiprocessing
from concurrent.futures import ThreadPoolExecutor

if __name__ == "__main__":
    with ThreadPoolExecutor(2) as ex:
        print(list(ex.map(lambda x: x + 1, [1, 2])))
        print(ex.submit(lambda: multiprocessing.cpu_count() > 0).result())
