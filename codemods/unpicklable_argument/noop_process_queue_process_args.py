# A `multiprocessing.Queue` handed to a `Process`: made to be shared with a child, nothing to do.
import multiprocessing


def produce(q):
    q.put(1)


if __name__ == "__main__":
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=produce, args=(q,))
    p.start()
    print(q.get())
    p.join()
