# The lambda appends to a list of its caller: dill would pickle it, and the appends would still be lost.
from multiprocessing import Pool


def main():
    seen = []
    with Pool(2) as pool:
        pool.map(lambda x: seen.append(x), range(3))
    print(seen)


if __name__ == "__main__":
    main()
