# A dataclass field whose default_factory is threading.Lock: self.scale pickles the lock.
import threading
from dataclasses import dataclass, field
from multiprocessing import Pool


@dataclass
class Scaler:
    factor: int
    lock: threading.Lock = field(default_factory=threading.Lock)

    def scale(self, n):
        return n * 10

    def run(self, numbers):
        with Pool(2) as pool:
            return pool.map(self.scale, numbers)


if __name__ == "__main__":
    print(Scaler(10).run([1, 2, 3]))
