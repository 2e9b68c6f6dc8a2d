# Local functions used as callback= and error_callback= run in the parent: never pickled.
from multiprocessing import Pool


def square(x):
    return x * x


def main():
    results = []

    def collect(value):
        results.append(value)

    def failed(error):
        results.append(repr(error))

    with Pool(2) as pool:
        pool.apply_async(square, (6,), callback=collect, error_callback=failed).wait()
    print(results)


if __name__ == "__main__":
    main()
