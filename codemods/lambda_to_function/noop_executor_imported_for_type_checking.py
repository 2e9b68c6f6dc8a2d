# An executor type imported only for annotations does not make a thread pool's lambda a process pool's.
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor


def run(executor: "ProcessPoolExecutor", factor):
    return list(executor.map(lambda x: x * factor, [1, 2, 3]))


if __name__ == "__main__":
    with ThreadPoolExecutor(2) as executor:
        print(run(executor, 3))
