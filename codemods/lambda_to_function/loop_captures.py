# Loop and comprehension variables are bound before the lambda: each task gets its own value.
from multiprocessing import Pool


def main():
    with Pool(2) as pool:
        jobs = []
        for i in range(3):
            jobs.append(pool.apply_async(lambda: i * 10))
        squares = [pool.apply_async(lambda: n * n) for n in range(4)]
        print([job.get() for job in jobs])
        print([job.get() for job in squares])


if __name__ == "__main__":
    main()
