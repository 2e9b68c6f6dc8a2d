# A classmethod pickles as the class plus a name: fine even with a lock on instances.
import threading
from concurrent.futures import ProcessPoolExecutor


class Parser:
    prefix = "p:"

    def __init__(self):
        self.lock = threading.Lock()

    @classmethod
    def parse(cls, text):
        return cls.prefix + text

    def run(self):
        with ProcessPoolExecutor(2) as ex:
            return list(ex.map(self.parse, ["a", "b"]))


if __name__ == "__main__":
    print(Parser().run())
