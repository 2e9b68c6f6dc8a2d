# `main` is handed to a runner as a value, but its local function only goes to a thread pool: nothing to report.
from concurrent.futures import ThreadPoolExecutor


def run(entry):
    return entry()


def main():
    def square(x):
        return x * x

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(square, [1, 2, 3]))


if __name__ == "__main__":
    print(run(main))
