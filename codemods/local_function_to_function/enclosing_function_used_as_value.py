# `main` is handed to a runner as a value: its local function still moves, but only as an unsafe fix (a runner could run main's source).
import multiprocessing


def run(entry):
    return entry()


def main():
    def square(x):
        return x * x

    with multiprocessing.Pool(2) as pool:
        return pool.map(square, [1, 2, 3])


if __name__ == "__main__":
    print(run(main))
