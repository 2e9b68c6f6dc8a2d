# A shared value imported by name, made in main() and sent with every task.
from multiprocessing import Pool, Value


def scale(factor, n):
    return factor.value * n


def main():
    factor = Value("i", 100)
    pool = Pool(2)
    results = [pool.apply_async(scale, (factor, n)) for n in range(4)]
    print([r.get() for r in results])
    pool.close()
    pool.join()
    print("factor:", factor.value)


if __name__ == "__main__":
    main()
