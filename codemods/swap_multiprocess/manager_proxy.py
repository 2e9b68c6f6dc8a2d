# A stdlib Manager's queue as a task argument and its dict captured: the swapped import makes the manager multiprocess's.
import multiprocessing


def main():
    manager = multiprocessing.Manager()
    results = manager.Queue()
    factors = manager.dict({"scale": 3})
    with multiprocessing.Pool(2) as pool:
        pool.starmap(lambda queue, n: queue.put(n * factors["scale"]), [(results, n) for n in range(3)])
    print(sorted(results.get() for _ in range(3)))


if __name__ == "__main__":
    main()
