# A factory whose local function is rebound before it is returned: what it returns is not known.
import multiprocessing as mp


def make_worker(n):
    def work(x):
        return x + n

    work = as_builtin(work)
    return work


def as_builtin(f):
    return abs


def main():
    with mp.Pool(2) as pool:
        print(pool.map(make_worker(0), [-1, -2]))


if __name__ == "__main__":
    main()
