# The fixed shape: the task gets the values it needs, not the object that owns the pool.
import multiprocessing


def describe(name):
    return "service " + name


class Service:
    def __init__(self):
        self.name = "svc"
        self.pool = multiprocessing.Pool(2)

    def run(self):
        try:
            return self.pool.apply(describe, (self.name,))
        finally:
            self.pool.close()
            self.pool.join()


if __name__ == "__main__":
    print(Service().run())
