# `self` handed to a thread pool is shared, not pickled, even while it keeps a process pool.
import multiprocessing
from concurrent.futures import ThreadPoolExecutor


def describe(obj):
    return obj.name


class Service:
    def __init__(self):
        self.name = "svc"
        self.pool = multiprocessing.Pool(1)

    def run(self):
        try:
            with ThreadPoolExecutor(1) as ex:
                return ex.submit(describe, self).result()
        finally:
            self.pool.close()
            self.pool.join()


if __name__ == "__main__":
    print(Service().run())
