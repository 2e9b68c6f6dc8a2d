# A threading.Lock in apply_async(args=...): pickled with the task under every start method.
import threading
from multiprocessing import Pool


def work(lock, x):
    with lock:
        return x


if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.apply_async(work, (threading.Lock(), 1)).get())
