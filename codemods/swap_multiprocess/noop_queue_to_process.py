# multiprocess already: a lambda target and a Queue through Process(args=) are both fine.
import multiprocess

if __name__ == "__main__":
    queue = multiprocess.Queue()
    proc = multiprocess.Process(target=lambda q: q.put("from the child"), args=(queue,))
    proc.start()
    print(queue.get())
    proc.join()
