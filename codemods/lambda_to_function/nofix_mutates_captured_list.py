# The lambda appends to a list of its function: in a child the list is a copy, so no fix.
from multiprocessing import Pool


def main():
    seen = []
    with Pool(2) as pool:
        print(pool.map(lambda x: seen.append(x) or x, [1, 2]))
    print(seen)


if __name__ == "__main__":
    main()
