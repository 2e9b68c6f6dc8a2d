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
    pool = multiprocessing.Pool(1, initializer=init, initargs=(queue,))
    pool.map(work, [7])
    pool.close()
    pool.join()
    print(queue.get())
