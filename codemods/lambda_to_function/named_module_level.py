# A module-level `name = lambda` becomes `def name` in place; the comment stays on its line.
from multiprocessing import Pool

square = lambda n: n * n  # the task

if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.map(square, [3, 4, 5]))
    print(square.__name__)
