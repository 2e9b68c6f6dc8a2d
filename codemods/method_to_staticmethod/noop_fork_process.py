# Under an explicit fork context, Process(target=self.work) is never pickled.
import threading
import multiprocessing


class Job:
    def __init__(self):
        self.lock = threading.Lock()

    def work(self):
        print("forked child", flush=True)

    def start(self):
        proc = multiprocessing.get_context("fork").Process(target=self.work)
        proc.start()
        proc.join()


if __name__ == "__main__":
    Job().start()
