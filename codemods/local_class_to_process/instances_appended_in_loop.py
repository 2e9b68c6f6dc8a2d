# A class defined inside an if block; its instances are appended to a list in a loop, and the list is a task argument.
from concurrent.futures import ProcessPoolExecutor


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
    with ProcessPoolExecutor(2) as ex:
        print(ex.submit(total, jobs).result())


if __name__ == "__main__":
    main()
