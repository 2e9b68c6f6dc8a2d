# A program that asks for `fork`: its children inherit the function of the `__main__` block.
import multiprocessing

if __name__ == "__main__":
    multiprocessing.set_start_method("fork")

    def double(x):
        return x * 2

    with multiprocessing.Pool(2) as pool:
        print(pool.map(double, [1, 2, 3]))
