# threading.Thread(target=lambda) shares memory: nothing is pickled.
import threading
import multiprocessing

if __name__ == "__main__":
    out = []
    t = threading.Thread(target=lambda: out.append(multiprocessing.cpu_count() > 0))
    t.start()
    t.join()
    print(out)
