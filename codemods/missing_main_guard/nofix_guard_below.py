# Pool code at module level and a guard further down: merge by hand, so no fix.
import multiprocessing


def square(x):
    return x * x


with multiprocessing.Pool(2) as pool:
    print(pool.map(square, [1]))

if __name__ == "__main__":
    print("main")
