# Locals read by the lambda are bound with functools.partial; globals and builtins are not.
from multiprocessing import Pool

SCALE = 100


def main():
    offset = 7
    label = "item"
    with Pool(2) as pool:
        rows = pool.map(lambda x: f"{label}-{x * SCALE + offset}", range(3))
    print(rows)
    print(len(rows))


if __name__ == "__main__":
    main()
