# An open file handed to a thread pool is shared, not pickled.
import os
import multiprocessing
from concurrent.futures import ThreadPoolExecutor


def write(log):
    return log.write("x")


if __name__ == "__main__":
    with open(os.devnull, "w") as log, ThreadPoolExecutor(2) as ex:
        print(ex.submit(write, log).result(), multiprocessing.cpu_count() > 0)
