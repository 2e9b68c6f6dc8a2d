# Names imported from multiprocessing and multiprocessing.pool; a lambda in apply_async with a callback.
from multiprocessing import Pool, Queue
from multiprocessing.pool import AsyncResult


def main():
    got = []
    with Pool(2) as pool:
        result = pool.apply_async(lambda a, b: a**b, (2, 10), callback=got.append)
        assert isinstance(result, AsyncResult)
        result.get()
    print(got, Queue is not None)


if __name__ == "__main__":
    main()
