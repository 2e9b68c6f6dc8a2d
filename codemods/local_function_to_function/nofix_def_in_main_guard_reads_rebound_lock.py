# A function of the `__main__` block that reads a name bound to `None` and then to a lock: one of its
# values pickle refuses, so binding it with a partial would fail even under fork. No fix.
import threading
from concurrent.futures import ProcessPoolExecutor

if __name__ == "__main__":
    lock = None
    lock = threading.Lock()

    def work(x):
        with lock:
            return x + 1

    with ProcessPoolExecutor(2) as executor:
        print(list(executor.map(work, [1, 2])))
