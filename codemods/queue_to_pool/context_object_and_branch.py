# Objects share the manager made above the first one, made by the same context; outside its branch, another.
import multiprocessing


def work(results, lock, n):
    with lock:
        results.put(n * 10)
    return n


def main(locked):
    ctx = multiprocessing.get_context()
    if locked:
        lock = ctx.Lock()
        results = ctx.Queue()
        with ctx.Pool(2) as pool:
            print(pool.starmap(work, [(results, lock, n) for n in range(2)]))
        print(sorted(results.get() for _ in range(2)))
    # Made whether or not the branch above ran.
    queue = multiprocessing.Queue()
    with multiprocessing.Pool(1) as again:
        print(again.apply(put, (queue, 5)))
    print(queue.get())


def put(queue, n):
    queue.put(n * 100)
    return n


if __name__ == "__main__":
    main(False)
    main(True)
