# A Process target puts into a captured `multiprocessing.Queue`: the queue carries the values to the parent, so the function moves.
import multiprocessing


def main():
    queue = multiprocessing.Queue()

    def produce(n):
        for i in range(n):
            queue.put(i * i)

    p = multiprocessing.Process(target=produce, args=(3,))
    p.start()
    print([queue.get() for _ in range(3)])
    p.join()


if __name__ == "__main__":
    main()
