# A local function that captures an sqlite3 connection: dill cannot pickle it either, so the swap is refused.
import multiprocessing
import sqlite3


def main():
    conn = sqlite3.connect(":memory:")

    def square(n):
        return conn.execute("select ? * ?", (n, n)).fetchone()[0]

    with multiprocessing.Pool(2) as pool:
        print(pool.map(square, range(3)))


if __name__ == "__main__":
    main()
