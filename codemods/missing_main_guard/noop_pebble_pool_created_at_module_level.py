# A pebble ProcessPool made at module level starts no worker until a task is scheduled (under the guard).
import pebble


def square(x):
    return x * x


pool = pebble.ProcessPool(max_workers=2)


if __name__ == "__main__":
    print(pool.schedule(square, args=(9,)).result(), list(pool.map(square, [1, 2]).result()))
    pool.close()
    pool.join()
