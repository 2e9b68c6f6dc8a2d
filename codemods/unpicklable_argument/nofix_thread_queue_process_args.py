# A `queue.Queue` (a thread queue, which holds a lock) handed to a `Process`: under spawn it is pickled.
import multiprocessing
import queue


def produce(q):
    q.put(1)


if __name__ == "__main__":
    q = queue.Queue()
    p = multiprocessing.Process(target=produce, args=(q,))
    p.start()
    p.join()
    print(q.qsize())
