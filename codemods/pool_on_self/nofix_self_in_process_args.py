# `self` in Process(args=...) while it keeps an executor: fails under spawn.
import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def report(service):
    print("service", service.name, flush=True)


class Service:
    def __init__(self):
        self.name = "svc"
        self.executor = ProcessPoolExecutor(1)

    def start(self):
        proc = multiprocessing.Process(target=report, args=(self,))
        proc.start()
        proc.join()
        self.executor.shutdown()
        print("exit code", proc.exitcode)


if __name__ == "__main__":
    Service().start()
