# The local function rebinds a variable of its caller with nonlocal: in a child the change is lost.
import multiprocessing


def main():
    total = 0

    def add(x):
        nonlocal total
        total += x
        return total

    with multiprocessing.Pool(2) as pool:
        pool.map(add, range(4))
    print(total)


if __name__ == "__main__":
    main()
