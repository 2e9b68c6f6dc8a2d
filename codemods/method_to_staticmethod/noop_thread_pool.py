# A thread pool never pickles self, whatever it holds.
import threading
import multiprocessing
from concurrent.futures import ThreadPoolExecutor


class Crawler:
    def __init__(self):
        self.lock = threading.Lock()

    def fetch(self, url):
        return url.upper()

    def run(self):
        with ThreadPoolExecutor(2) as ex:
            return list(ex.map(self.fetch, ["a", "b"])), multiprocessing.cpu_count() > 0


if __name__ == "__main__":
    print(Crawler().run())
