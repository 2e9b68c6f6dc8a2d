# Defaults that read a local are bound with functools.partial where the def stood, evaluated when they were.
import multiprocessing


class Item:
    def __init__(self, n):
        self.n = n

    def run(self, x):
        return self.n * x


def main(items):
    current = items[0]

    def job(x, item=current):
        return item.run(x)

    current = items[1]
    print(job(1))
    with multiprocessing.Pool(2) as pool:
        print(pool.map(job, [1, 2, 3]))


def scaled(n):
    def job(x, *, scale=n * 2):
        return x * scale

    with multiprocessing.Pool(2) as pool:
        print(pool.map(job, [1, 2, 3]))
        print(pool.apply(job, (1,), {"scale": 100}))


if __name__ == "__main__":
    main([Item(3), Item(4)])
    scaled(5)
