# Processes kept in a list, started in a for loop and through a subscript, at import time.
from multiprocessing import Process, Queue


def put(queue, n):
    queue.put(n * n)


queue = Queue()
procs = [Process(target=put, args=(queue, 1)), Process(target=put, args=(queue, 2))]
for p in procs:
    p.start()
extra = []
extra.append(Process(target=put, args=(queue, 3)))
extra[0].start()
results = sorted(queue.get() for _ in range(3))
for p in procs + extra:
    p.join()
print(results)
