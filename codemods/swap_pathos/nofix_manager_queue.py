# A stdlib Manager's queue sent to the pool: pathos's workers cannot authenticate with it, so the swap is refused.
import multiprocessing


def main():
    manager = multiprocessing.Manager()
    results = manager.Queue()
    with multiprocessing.Pool(2) as pool:
        pool.starmap(lambda queue, n: queue.put(n * 2), [(results, n) for n in range(3)])
    print(sorted(results.get() for _ in range(3)))


if __name__ == "__main__":
    main()
