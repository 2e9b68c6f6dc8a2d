# Lambdas kept in a list and handed to a pool through a subscript: reported, without a fix.
import multiprocessing

STEPS = [lambda x: x + 1, lambda x: x * 2]

if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        for i in range(len(STEPS)):
            print(pool.map(STEPS[i], [1, 2]))
