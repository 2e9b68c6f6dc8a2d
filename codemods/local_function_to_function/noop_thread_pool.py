# A local function given to a ThreadPoolExecutor is never pickled.
import multiprocessing
from concurrent.futures import ThreadPoolExecutor


def main():
    def work(x):
        return x * multiprocessing.cpu_count() // multiprocessing.cpu_count()

    with ThreadPoolExecutor(2) as ex:
        print(list(ex.map(work, [3, 4])))


if __name__ == "__main__":
    main()
