# A module-level Process target receives its queue as an argument: nothing to move.
import multiprocessing


def produce(queue, n):
    for i in range(n):
        queue.put(i * i)


def main():
    queue = multiprocessing.Queue()
    p = multiprocessing.Process(target=produce, args=(queue, 3))
    p.start()
    print([queue.get() for _ in range(3)])
    p.join()


if __name__ == "__main__":
    main()
