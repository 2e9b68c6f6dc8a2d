# A local class used only in the parent, around plain results.
import multiprocessing


def square(x):
    return x * x


def main():
    class Report:
        def __init__(self, values):
            self.values = values

    with multiprocessing.Pool(2) as pool:
        print(Report(pool.map(square, [1, 2])).values)


if __name__ == "__main__":
    main()
