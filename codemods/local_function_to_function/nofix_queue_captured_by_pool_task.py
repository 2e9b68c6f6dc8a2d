# A pool task captures a `multiprocessing.Queue`: the pool would send the queue with every task, which only inheritance allows.
import multiprocessing


def main():
    queue = multiprocessing.Queue()

    def produce(x):
        queue.put(x * x)

    with multiprocessing.Pool(2) as pool:
        pool.map(produce, [1, 2, 3])
    print(sorted(queue.get() for _ in range(3)))


if __name__ == "__main__":
    main()
