# A stdlib Manager's queue sent to a stdlib pool with a top-level function: nothing to swap, nothing reported.
import multiprocessing


def double_into(queue, n):
    queue.put(n * 2)


def main():
    with multiprocessing.Manager() as manager:
        results = manager.Queue()
        with multiprocessing.Pool(2) as pool:
            pool.starmap(double_into, [(results, n) for n in range(3)])
        print(sorted(results.get() for _ in range(3)))


if __name__ == "__main__":
    main()
