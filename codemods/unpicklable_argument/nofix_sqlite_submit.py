# A sqlite3 cursor made from a connection, submitted to a ProcessPoolExecutor.
import sqlite3
from concurrent.futures import ProcessPoolExecutor


def count(cursor):
    return cursor.execute("select 1").fetchone()


if __name__ == "__main__":
    conn = sqlite3.connect(":memory:")
    cur = conn.cursor()
    with ProcessPoolExecutor(1) as ex:
        print(ex.submit(count, cur).result())
