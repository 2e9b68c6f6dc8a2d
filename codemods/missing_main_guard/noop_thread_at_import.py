# A thread started at import time is not a process.
import threading
import multiprocessing

out = []
worker = threading.Thread(target=lambda: out.append(multiprocessing.cpu_count() > 0))
worker.start()
worker.join()
print(out)
