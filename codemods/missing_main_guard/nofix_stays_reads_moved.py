# A def that stays reads (as a default) a name the moved code binds: no fix.
import multiprocessing


def square(x):
    return x * x


with multiprocessing.Pool(2) as pool:
    results = pool.map(square, [1, 2])


def show(values=results):
    print(values)


show()
