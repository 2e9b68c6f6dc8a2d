# The local class reads a variable of its function: it cannot move, so no fix.
import multiprocessing


def scale(item):
    return item.scaled()


def main():
    factor = 10

    class Item:
        def __init__(self, v):
            self.v = v

        def scaled(self):
            return self.v * factor

    with multiprocessing.Pool(2) as pool:
        print(pool.map(scale, [Item(1)]))


if __name__ == "__main__":
    main()
