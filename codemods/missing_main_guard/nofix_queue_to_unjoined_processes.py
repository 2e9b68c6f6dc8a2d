# The processes get a Queue and the script never joins them: under spawn the parent removes the queue's
# semaphore at exit before a child has opened it, so the guard alone would leave children that fail: no fix.
import multiprocessing


def consumer(q):
    print("got", q.get())


q = multiprocessing.Queue()
q.put(1)
multiprocessing.Process(target=consumer, args=(q,)).start()
