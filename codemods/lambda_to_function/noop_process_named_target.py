# A module-level function as Process target and Pool initializer is already picklable.
import multiprocessing


def hello(name):
    print("hello", name, flush=True)


def init():
    pass


if __name__ == "__main__":
    p = multiprocessing.Process(target=hello, args=("child",))
    p.start()
    p.join()
    with multiprocessing.Pool(1, initializer=init) as pool:
        print(pool.apply(len, ("abc",)))
