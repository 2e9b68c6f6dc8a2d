# A thread pool kept on `self` and reached as `self.pool`: not a process pool.
from multiprocessing.pool import ThreadPool
import multiprocessing


class Crawler:
    def __init__(self):
        self.pool = ThreadPool(2)

    def crawl(self, urls):
        try:
            return self.pool.map(lambda u: u.upper(), urls)
        finally:
            self.pool.close()


if __name__ == "__main__":
    print(Crawler().crawl(["a", "b"]), multiprocessing.active_children())
