# The database is opened in each worker by an initializer, from a path passed in initargs.
import sqlite3
from multiprocessing import Pool

conn = None


def init(path):
    global conn
    conn = sqlite3.connect(path)


def one(_):
    return conn.execute("select 1").fetchone()[0]


if __name__ == "__main__":
    with Pool(2, initializer=init, initargs=(":memory:",)) as pool:
        print(pool.map(one, [0, 1]))
