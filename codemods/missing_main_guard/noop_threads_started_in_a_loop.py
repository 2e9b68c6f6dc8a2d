# Threads kept in a list and started in a loop and a comprehension are not processes.
import multiprocessing
import threading

out = []
threads = [threading.Thread(target=out.append, args=(i,)) for i in range(3)]
for t in threads:
    t.start()
more = []
more.append(threading.Thread(target=out.append, args=(3,)))
[t.start() for t in more]
for t in threads + more:
    t.join()
print(sorted(out), multiprocessing.cpu_count() > 0)
