# Local class instances handed to a thread pool are never pickled.
import multiprocessing
from concurrent.futures import ThreadPoolExecutor


def main():
    class Box:
        def __init__(self, v):
            self.v = v

    with ThreadPoolExecutor(2) as ex:
        print(list(ex.map(lambda b: b.v, [Box(1), Box(2)])), multiprocessing.cpu_count() > 0)


if __name__ == "__main__":
    main()
