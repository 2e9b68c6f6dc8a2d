# A multiprocessing.Queue sent with a pool task: RuntimeError under every start method.
import multiprocessing


def work(queue, x):
    queue.put(x * 10)
    return x


if __name__ == "__main__":
    queue = multiprocessing.Queue()
    with multiprocessing.Pool(2) as pool:
        print(pool.apply_async(work, (queue, 1)).get())
        print(queue.get())
