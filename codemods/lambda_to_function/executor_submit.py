# ProcessPoolExecutor imported under an alias; submit with a default argument.
from concurrent.futures import ProcessPoolExecutor as Executor


def main():
    with Executor(max_workers=2) as ex:
        future = ex.submit(lambda x, y=2: x * y, 21)
        print(future.result())


if __name__ == "__main__":
    main()
