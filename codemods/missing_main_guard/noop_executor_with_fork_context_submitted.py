# An executor with an explicit fork context, submitted to at import time: forked workers import nothing.
import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def square(x):
    return x * x


with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as executor:
    print(executor.submit(square, 5).result(), list(executor.map(square, [2, 3])))
