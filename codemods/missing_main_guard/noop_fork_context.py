# A pool from an explicit fork context: forked children do not import the module again.
import multiprocessing


def square(x):
    return x * x


ctx = multiprocessing.get_context("fork")
with ctx.Pool(2) as pool:
    print(pool.map(square, [6]))
