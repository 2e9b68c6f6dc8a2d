# A thread pool shares the parent's memory: nothing is pickled, so a Queue is fine.
import multiprocessing
from multiprocessing.pool import ThreadPool


def work(queue, x):
    queue.put(x)
    return x


if __name__ == "__main__":
    queue = multiprocessing.Queue()
    with ThreadPool(2) as pool:
        print(pool.apply(work, (queue, 7)))
    print(queue.get())
