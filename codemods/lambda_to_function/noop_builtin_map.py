# Builtin map and filter with lambdas in a file that also uses a process pool correctly.
import multiprocessing


def double(x):
    return 2 * x


if __name__ == "__main__":
    print(list(map(lambda x: x + 1, [1, 2])))
    print(list(filter(lambda x: x % 2, range(5))))
    with multiprocessing.Pool(2) as pool:
        print(pool.map(double, [1, 2]))
