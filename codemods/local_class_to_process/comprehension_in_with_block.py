# A class defined inside a with block; a list comprehension of its instances, bound to a name, is the task data.
import multiprocessing
import threading


def norm(point):
    return abs(point.x) + abs(point.y)


def main():
    with threading.Lock():
        class Point:
            def __init__(self, x, y):
                self.x, self.y = x, y

    points = [Point(i, -i) for i in range(3)]
    with multiprocessing.Pool(2) as pool:
        print(pool.map(norm, points))


if __name__ == "__main__":
    main()
