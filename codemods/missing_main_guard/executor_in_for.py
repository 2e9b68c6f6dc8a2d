# An executor created inside a module-level for loop.
from concurrent.futures import ProcessPoolExecutor


def cube(x):
    return x ** 3


for size in (1, 2):
    with ProcessPoolExecutor(size) as ex:
        print(size, list(ex.map(cube, [1, 2])))
