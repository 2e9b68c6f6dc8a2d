# A lambda for a ProcessPoolExecutor: pathos has no executor, so the swap is refused.
from concurrent.futures import ProcessPoolExecutor

if __name__ == "__main__":
    with ProcessPoolExecutor(2) as ex:
        print(ex.submit(lambda: 42).result())
