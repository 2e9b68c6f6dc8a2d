# A Process target whose default is the current item of a loop (`lambda item=item: ...`): each process gets its own item.
import multiprocessing


class Job:
    def __init__(self, name):
        self.name = name

    def run(self, queue):
        queue.put(self.name.upper())


def main():
    queue = multiprocessing.Queue()
    processes = []
    for item in [Job("a"), Job("b"), Job("c")]:
        p = multiprocessing.Process(target=lambda item=item: item.run(queue))
        processes.append(p)
        p.start()
    print(sorted(queue.get() for _ in processes))
    for p in processes:
        p.join()


if __name__ == "__main__":
    main()
