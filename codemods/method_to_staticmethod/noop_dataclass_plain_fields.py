# A dataclass whose fields are plain values: self pickles, nothing is said.
from dataclasses import dataclass, field
from multiprocessing import Pool


@dataclass
class Scaler:
    factor: int
    names: list = field(default_factory=list)

    def scale(self, n):
        return n * 10

    def run(self, numbers):
        with Pool(2) as pool:
            return pool.map(self.scale, numbers)


if __name__ == "__main__":
    print(Scaler(10).run([1, 2, 3]))
