# A Queue handed to Process(args=...) is shared by inheritance: fine.
import multiprocessing


def work(queue):
    queue.put("from the child")


if __name__ == "__main__":
    queue = multiprocessing.Queue()
    proc = multiprocessing.Process(target=work, args=(queue,))
    proc.start()
    print(queue.get())
    proc.join()
