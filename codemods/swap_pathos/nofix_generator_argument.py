# A generator as a task argument of a lambda: dill cannot pickle it either, so the swap is refused.
from multiprocessing import Pool


def main():
    with Pool(2) as pool:
        print(pool.map(lambda numbers: sum(numbers), [(n for n in range(k)) for k in range(3)]))


if __name__ == "__main__":
    main()
