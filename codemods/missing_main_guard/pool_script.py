# A script that runs a pool at import time; the trailing comment and docstring stay put.
import multiprocessing


def square(x):
    return x * x


# Run the squares.
with multiprocessing.Pool(2) as pool:
    print(pool.map(square, [1, 2, 3]))
print("done")
# end
"""Trailing notes."""
