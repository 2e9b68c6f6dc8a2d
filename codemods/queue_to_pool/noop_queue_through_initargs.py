# A Queue handed to pool workers through initializer/initargs: shared by inheritance, fine.
import multiprocessing

shared = None


def init(queue):
    global shared
    shared = queue


def work(x):
    shared.put(x)
    return x


if __name__ == "__main__":
    queue = multiprocessing.Queue()
    with multiprocessing.Pool(1, initializer=init, initargs=(queue,)) as pool:
        pool.map(work, [7])
    print(queue.get())
