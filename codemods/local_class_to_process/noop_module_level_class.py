# A module-level class pickles by its name: nothing to do.
import multiprocessing


class Point:
    def __init__(self, x):
        self.x = x


def double(point):
    return point.x * 2


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print(pool.map(double, [Point(1), Point(2)]))
