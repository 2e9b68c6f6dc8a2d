# Processes from an explicit fork context, kept in a list and started in a loop: forked children import nothing.
import multiprocessing


def put(queue, n):
    queue.put(n * 3)


ctx = multiprocessing.get_context("fork")
queue = ctx.Queue()
procs = [ctx.Process(target=put, args=(queue, i)) for i in range(3)]
for p in procs:
    p.start()
print(sorted(queue.get() for _ in procs))
[p.join() for p in procs]
