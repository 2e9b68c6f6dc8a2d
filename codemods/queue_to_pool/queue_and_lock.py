# Two objects of one function sent to a pool: one manager makes both.
import multiprocessing as mp


def work(results, lock, n):
    with lock:
        results.put(n * n)
    return n


def main():
    # Made before the pool, read after it.
    results = mp.Queue()
    lock = mp.Lock()
    with mp.Pool(2) as pool:
        print(pool.starmap(work, [(results, lock, n) for n in range(3)]))
    print(sorted(results.get() for _ in range(3)))


if __name__ == "__main__":
    main()
