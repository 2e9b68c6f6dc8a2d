# A local function reads `os` and `Path`, which its function imports again: the module level imports the same, so nothing is captured.
import multiprocessing
import os
from pathlib import Path


def main():
    import os
    from pathlib import Path

    def work(name):
        return str(Path(name).with_suffix(".txt")), os.sep

    with multiprocessing.Pool(2) as pool:
        print(pool.map(work, ["a", "b"]))


if __name__ == "__main__":
    main()
