# A local function appends to a `Manager().list()`: a channel to the parent, so the function moves and its changes still arrive.
import multiprocessing


def main():
    with multiprocessing.Manager() as manager:
        seen = manager.list()

        def record(x):
            seen.append(x * 10)

        with multiprocessing.Pool(2) as pool:
            pool.map(record, [1, 2, 3])
        print(sorted(seen))


if __name__ == "__main__":
    main()
