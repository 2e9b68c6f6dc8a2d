# self.conn is what a function of the file returns, a sqlite3 connection: a Process argument is pickled under spawn.
import sqlite3
from multiprocessing import Process


def connect(path):
    return sqlite3.connect(path)


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
