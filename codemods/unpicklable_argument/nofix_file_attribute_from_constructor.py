# self.log is the open file every construction site passes to __init__; sending it to a pool task fails.
import os
import tempfile
from multiprocessing import Pool


def count_lines(log):
    return sum(1 for _ in log)


class Report:
    def __init__(self, log):
        self.log = log

    def lines(self):
        with Pool(2) as pool:
            return pool.map(count_lines, [self.log])


if __name__ == "__main__":
    path = os.path.join(tempfile.mkdtemp(), "run.log")
    with open(path, "w") as out:
        out.write("a\nb\n")
    print(Report(open(path)).lines())
