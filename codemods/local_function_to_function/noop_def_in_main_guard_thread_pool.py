# A function of the `__main__` block handed to a thread pool: nothing is pickled, nothing to do.
from concurrent.futures import ThreadPoolExecutor

if __name__ == "__main__":
    offset = 10

    def shift(x):
        return x + offset

    with ThreadPoolExecutor(2) as executor:
        print(list(executor.map(shift, [1, 2, 3])))
