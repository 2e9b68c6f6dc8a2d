# Module-level functions handed to an executor, local functions used only locally.
from concurrent.futures import ProcessPoolExecutor


def double(x):
    return 2 * x


def main():
    def show(values):
        print(values)

    with ProcessPoolExecutor(2) as ex:
        show(list(ex.map(double, [1, 2])))


if __name__ == "__main__":
    main()
