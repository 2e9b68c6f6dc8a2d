# `from concurrent import futures`: a builtin handed to the process pool, lambdas only in the parent.
from concurrent import futures

if __name__ == "__main__":
    with futures.ProcessPoolExecutor(2) as ex:
        jobs = [ex.submit(pow, 2, n) for n in range(4)]
        done = [job.result() for job in futures.as_completed(jobs)]
    print(sorted(done, key=lambda v: -v))
