# The same connection on self, with a thread pool: nothing is pickled.
import sqlite3
from concurrent.futures import ThreadPoolExecutor


def open_database(path):
    conn = sqlite3.connect(path)
    conn.execute("create table words (word text)")
    return conn


class Index:
    def __init__(self, path):
        self.conn = open_database(path)

    def total_length(self, word):
        return len(word)

    def run(self, words):
        with ThreadPoolExecutor(2) as ex:
            return sum(ex.map(self.total_length, words))


if __name__ == "__main__":
    print(Index(":memory:").run(["spawn", "fork"]))
