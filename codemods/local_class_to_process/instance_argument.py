# Instances of a local class in the task iterable: the class moves to module level.
import multiprocessing


def norm(point):
    return abs(point.x) + abs(point.y)


def main():
    # A point on the grid.
    class Point:
        def __init__(self, x, y):
            self.x, self.y = x, y

    with multiprocessing.Pool(2) as pool:
        print(pool.map(norm, [Point(1, -2), Point(-3, 4)]))


if __name__ == "__main__":
    main()
