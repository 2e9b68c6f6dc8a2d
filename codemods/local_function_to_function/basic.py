# A local function that captures nothing moves to module level and keeps its name.
import multiprocessing


def main():
    def square(x):
        return x * x

    with multiprocessing.Pool(2) as pool:
        print(pool.map(square, [1, 2, 3]))


if __name__ == "__main__":
    main()
