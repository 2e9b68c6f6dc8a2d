# The same comprehension of local instances, sent to a thread pool: nothing is pickled.
from multiprocessing.pool import ThreadPool
import threading


def norm(point):
    return abs(point.x) + abs(point.y)


def main():
    with threading.Lock():
        class Point:
            def __init__(self, x, y):
                self.x, self.y = x, y

    points = [Point(i, -i) for i in range(3)]
    with ThreadPool(2) as pool:
        print(pool.map(norm, points))


if __name__ == "__main__":
    main()
