# callback= and error_callback= run in the parent process and are never pickled.
from multiprocessing import Pool


def square(x):
    return x * x


if __name__ == "__main__":
    results = []
    with Pool(2) as pool:
        job = pool.apply_async(square, (7,), callback=lambda r: results.append(r),
                               error_callback=lambda e: results.append(repr(e)))
        job.wait()
        pool.map_async(square, [1, 2], callback=lambda rs: results.append(sum(rs))).wait()
    print(sorted(results))
