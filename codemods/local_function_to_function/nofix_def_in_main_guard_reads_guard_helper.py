# A function of the `__main__` block that calls another one defined there: it cannot move alone.
from concurrent.futures import ProcessPoolExecutor

if __name__ == "__main__":

    def helper(x):
        return x + 1

    def work(x):
        return helper(x) * 2

    with ProcessPoolExecutor(2) as executor:
        print(list(executor.map(work, [1, 2])))
