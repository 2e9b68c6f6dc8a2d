# A subclass overrides `work`: making it static could break the override, so no fix.
import threading
from concurrent.futures import ProcessPoolExecutor


class Base:
    def __init__(self):
        self.lock = threading.Lock()

    def work(self, x):
        return x

    def run(self):
        with ProcessPoolExecutor(2) as ex:
            return list(ex.map(self.work, [1, 2]))


class Child(Base):
    def work(self, x):
        return -x


if __name__ == "__main__":
    print(Child().run())
