# The same list of local instances, submitted to a thread pool executor: nothing is pickled.
from concurrent.futures import ThreadPoolExecutor


def total(jobs):
    return sum(job.size for job in jobs)


def main(verbose=False):
    if not verbose:
        class Job:
            def __init__(self, size):
                self.size = size

    jobs = []
    for size in [3, 4, 5]:
        jobs.append(Job(size))
    with ThreadPoolExecutor(2) as ex:
        print(ex.submit(total, jobs).result())


if __name__ == "__main__":
    main()
