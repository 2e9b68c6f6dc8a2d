# A capturing lambda in a file that imports `partial` only for type checkers: the fix imports functools itself.
import multiprocessing
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from functools import partial


def main():
    factor = 3
    with multiprocessing.Pool(2) as pool:
        print(pool.map(lambda x: x * factor, [1, 2, 3]))


if __name__ == "__main__":
    main()
