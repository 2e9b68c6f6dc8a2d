# multiprocess pickles the lambda, but a Queue sent with a task is still refused: PF006's manager fixes it.
import multiprocessing


def main():
    results = multiprocessing.Queue()
    with multiprocessing.Pool(2) as pool:
        pool.map(lambda pair: pair[0].put(pair[1] * 2), [(results, n) for n in range(3)])
    print(sorted(results.get() for _ in range(3)))


if __name__ == "__main__":
    main()
