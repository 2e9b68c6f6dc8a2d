# `self` without a pool pickles fine.
import multiprocessing


def describe(obj):
    return obj.name


class Job:
    def __init__(self):
        self.name = "job"

    def run(self):
        with multiprocessing.Pool(1) as pool:
            return pool.apply(describe, (self,))


if __name__ == "__main__":
    print(Job().run())
