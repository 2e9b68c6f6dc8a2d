# connect() returns a connection or the path itself: what self.conn holds is not known, so nothing is said.
import sqlite3
import sys
from multiprocessing import Process


def connect(path):
    if len(sys.argv) > 1:
        return sqlite3.connect(path)
    return path


def describe(conn):
    print(type(conn).__name__)


class Store:
    def __init__(self, path):
        self.conn = connect(path)

    def report(self):
        worker = Process(target=describe, args=(self.conn,))
        worker.start()
        worker.join()
        return worker.exitcode


if __name__ == "__main__":
    code = Store(":memory:").report()
    if code:
        raise SystemExit("the worker failed")
