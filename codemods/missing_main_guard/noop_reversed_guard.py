# The guard spelled the other way round still counts.
from concurrent.futures import ProcessPoolExecutor


def square(x):
    return x * x


if '__main__' == __name__:
    with ProcessPoolExecutor(2) as ex:
        print(list(ex.map(square, [3])))
