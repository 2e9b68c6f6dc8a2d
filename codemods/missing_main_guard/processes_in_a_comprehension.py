# Processes made by a list comprehension and started by another one, at import time.
from multiprocessing import Process, Queue


def put(queue, n):
    queue.put(n + 10)


queue = Queue()
procs = [Process(target=put, args=(queue, i)) for i in range(3)]
[p.start() for p in procs]
results = sorted(queue.get() for _ in procs)
[p.join() for p in procs]
print(results)
