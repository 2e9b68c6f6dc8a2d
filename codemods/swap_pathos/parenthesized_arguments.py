# Parenthesized arguments are rewritten whole; Pool imported by name and used as multiprocessing.Pool too.
import multiprocessing
from multiprocessing import Pool


def main():
    offset = 10
    with Pool(2) as pool:
        print(pool.map(lambda x: x + offset, (range(3)), (2)))
        print(pool.starmap(lambda a, b: a * b, ([(1, 2), (3, 4)])))
        print(pool.apply(lambda *a: sum(a) + offset, ((1, 2))))
    with multiprocessing.Pool(1) as other:
        print(other.map(lambda x: -x, [1, 2]))


if __name__ == "__main__":
    main()
