# multiprocess's own Manager and Pool with a lambda: nothing to swap, nothing reported.
import multiprocess


def main():
    with multiprocess.Manager() as manager:
        results = manager.list()
        with multiprocess.Pool(2) as pool:
            pool.starmap(lambda shared, n: shared.append(n * 2), [(results, n) for n in range(3)])
        print(sorted(results))


if __name__ == "__main__":
    main()
