# `Pool` is a local stand-in class here, not multiprocessing's.
import multiprocessing


class Pool:
    def map(self, fn, items):
        return [fn(i) for i in items]


def main():
    def work(x):
        return x + 100

    print(Pool().map(work, [1]), multiprocessing.active_children())


if __name__ == "__main__":
    main()
