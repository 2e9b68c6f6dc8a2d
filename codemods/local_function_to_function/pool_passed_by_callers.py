# Every caller of `scale_all` passes a process pool, so its parameter is one: the local function moves.
from concurrent.futures import ProcessPoolExecutor


def scale_all(executor, factor):
    def scale(x):
        return x * factor

    return list(executor.map(scale, [1, 2, 3]))


def main():
    with ProcessPoolExecutor(2) as executor:
        print(scale_all(executor, 10))
        print(scale_all(executor, factor=3))


if __name__ == "__main__":
    main()
