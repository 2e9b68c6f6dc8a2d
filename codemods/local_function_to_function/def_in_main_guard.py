# A function defined in the `__main__` block: a spawned child imports the module without running the
# block, so it cannot find the function. It moves above the block; what it reads there is bound with a partial.
from concurrent.futures import ProcessPoolExecutor

if __name__ == "__main__":
    offset = 10

    def shift(x):
        return x + offset

    def double(x):
        return x * 2

    with ProcessPoolExecutor(2) as executor:
        print(list(executor.map(shift, [1, 2, 3])))
        print(list(executor.map(double, [1, 2, 3])))
