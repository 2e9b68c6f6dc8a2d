# An open file on self and Process(target=self.work): fine under fork, fails under spawn.
import multiprocessing
import os


class Job:
    def __init__(self):
        self.log = open(os.devnull, "w")

    def work(self, name):
        print("working on", name, flush=True)

    def start(self):
        proc = multiprocessing.Process(target=self.work, args=("job-1",))
        proc.start()
        proc.join()
        self.log.close()
        print("exit code", proc.exitcode)


if __name__ == "__main__":
    Job().start()
