# functools.partial around a local function that captures a local: the partial keeps working.
from functools import partial
from multiprocessing import Pool


def main(unit):
    def fmt(value, precision):
        return f"{value:.{precision}f} {unit}"

    with Pool(2) as pool:
        print(pool.map(partial(fmt, precision=2), [1.5, 2.25]))


if __name__ == "__main__":
    main("kg")
