# pebble's ProcessPool pickles what schedule and map send with pickle: both lambdas move to module level.
import pebble


def main():
    factor = 3
    with pebble.ProcessPool(max_workers=2) as pool:
        future = pool.schedule(lambda x, y=1: x * y, args=(14,), kwargs={"y": factor})
        print(future.result())
        print(list(pool.map(lambda x: x * factor, [1, 2, 3], chunksize=2).result()))


if __name__ == "__main__":
    main()
