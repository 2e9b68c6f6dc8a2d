# A local function for a ProcessPoolExecutor, which pickles with pickle whatever the swap does.
import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def main():
    def work():
        return multiprocessing.current_process().name

    with ProcessPoolExecutor(1) as ex:
        print(ex.submit(work).result() != "MainProcess")


if __name__ == "__main__":
    main()
