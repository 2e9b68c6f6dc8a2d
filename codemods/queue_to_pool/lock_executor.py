# A multiprocessing.Lock from a context, submitted to a ProcessPoolExecutor.
import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def work(lock):
    with lock:
        return "done"


if __name__ == "__main__":
    ctx = multiprocessing.get_context()
    lock = ctx.Lock()
    with ProcessPoolExecutor(1) as ex:
        print(ex.submit(work, lock).result())
