# The parent closes the queue: a manager's queue proxy has no close(), so no fix.
import multiprocessing


def work(queue, x):
    queue.put(x)
    return x


if __name__ == "__main__":
    queue = multiprocessing.Queue()
    with multiprocessing.Pool(2) as pool:
        print(pool.apply(work, (queue, 1)))
    print(queue.get())
    queue.close()
