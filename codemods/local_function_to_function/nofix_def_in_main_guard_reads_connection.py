# A function of the `__main__` block that reads a sqlite connection bound there: moved with a partial,
# the connection would be pickled with every task (and fail even under fork), so there is no fix.
import sqlite3
from concurrent.futures import ProcessPoolExecutor

if __name__ == "__main__":
    db = sqlite3.connect(":memory:")

    def work(x):
        return x + db.execute("select 1").fetchone()[0]

    with ProcessPoolExecutor(2) as executor:
        print(list(executor.map(work, [1, 2])))
