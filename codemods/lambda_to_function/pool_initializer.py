# Pool(initializer=lambda) with initargs: the initializer is pickled under spawn only.
from multiprocessing import Pool

SEEN = []


def task(x):
    return (x, len(SEEN))


def main():
    with Pool(2, initializer=lambda tag: SEEN.append(tag), initargs=("ready",)) as pool:
        print(sorted(pool.map(task, [1, 2, 3])))


if __name__ == "__main__":
    main()
