# An executor created at module level (also in a `with`) starts no process until something is submitted.
from concurrent.futures import ProcessPoolExecutor


def square(x):
    return x * x


executor = ProcessPoolExecutor(2)

with ProcessPoolExecutor(2) as idle:
    pass


def run():
    return list(executor.map(square, [1, 2, 3]))


if __name__ == "__main__":
    print(executor.submit(square, 7).result(), run())
    executor.shutdown()
