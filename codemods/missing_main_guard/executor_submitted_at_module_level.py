# An executor created at module level and submitted to at module level starts its workers at import time.
from concurrent.futures import ProcessPoolExecutor


def square(x):
    return x * x


executor = ProcessPoolExecutor(2)
future = executor.submit(square, 9)
print(future.result())
executor.shutdown()
