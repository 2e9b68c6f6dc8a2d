# Instances of a local class as task data; apply with keyword arguments.
from multiprocessing import Pool


def main():
    class Box:
        def __init__(self, size):
            self.size = size

    def volume(box, scale=1):
        return box.size**3 * scale

    with Pool(2) as pool:
        print(pool.map(volume, [Box(1), Box(2)]))
        print(pool.apply(volume, args=(Box(3),), kwds={"scale": 2}))


if __name__ == "__main__":
    main()
