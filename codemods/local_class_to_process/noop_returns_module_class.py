# A task that returns an instance of a module-level class: fine.
import multiprocessing


class Result:
    def __init__(self, value):
        self.value = value


def measure(text):
    return Result(len(text))


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print([r.value for r in pool.map(measure, ["a", "bb"])])
