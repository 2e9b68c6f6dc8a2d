# A Manager's queue proxy can be sent with tasks: the recommended shape.
import multiprocessing


def work(queue, x):
    queue.put(x * 2)
    return x


if __name__ == "__main__":
    with multiprocessing.Manager() as manager:
        queue = manager.Queue()
        with multiprocessing.Pool(2) as pool:
            pool.apply_async(work, (queue, 21)).get()
        print(queue.get())
