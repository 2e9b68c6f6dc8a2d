# Objects made by a manager that a context made are proxies: they pickle, nothing is said.
import multiprocessing


def work(results, lock, n):
    with lock:
        results.put(n * 10)
    return n


def main():
    ctx = multiprocessing.get_context()
    with ctx.Manager() as manager:
        lock = manager.Lock()
        results = manager.Queue()
        with ctx.Pool(2) as pool:
            print(pool.starmap(work, [(results, lock, n) for n in range(2)]))
        print(sorted(results.get() for _ in range(2)))


if __name__ == "__main__":
    main()
