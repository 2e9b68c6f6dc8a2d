# A pool or None: wherever a pool method is called on it, it is the process pool.
import multiprocessing
from concurrent.futures import ProcessPoolExecutor


class Runner:
    def __init__(self, use_processes):
        self.executor = ProcessPoolExecutor(2) if use_processes else None

    def run(self, offset):
        if self.executor is None:
            return [x + offset for x in range(3)]
        return list(self.executor.map(lambda x: x + offset, range(3)))


def main(workers):
    pool = multiprocessing.Pool(workers) if workers > 1 else None
    if pool is None:
        print([x * 10 for x in range(3)])
        return
    with pool:
        print(pool.map(lambda x: x * 10, range(3)))


if __name__ == "__main__":
    main(2)
    runner = Runner(True)
    print(runner.run(5))
    runner.executor.shutdown()
