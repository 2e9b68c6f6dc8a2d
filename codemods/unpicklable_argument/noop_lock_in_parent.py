# A lock used only in the parent, around results: never sent to a child.
import threading
from multiprocessing import Pool


def square(x):
    return x * x


if __name__ == "__main__":
    lock = threading.Lock()
    with Pool(2) as pool:
        results = pool.map(square, [1, 2])
    with lock:
        print(results)
