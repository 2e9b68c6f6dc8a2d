# A ProcessPoolExecutor with a picklable function: no finding, no refusal.
from concurrent.futures import ProcessPoolExecutor


def double(x):
    return 2 * x


if __name__ == "__main__":
    with ProcessPoolExecutor(2) as ex:
        print(list(ex.map(double, range(3))))
