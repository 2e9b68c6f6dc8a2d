# A lambda Process target, a local function for a pool and a local class as task data, under an
# explicit spawn context, which the swap keeps.
import multiprocessing as mp


def main():
    ctx = mp.get_context("spawn")
    factor = 4

    def times(p):
        return p.x * factor

    class Point:
        def __init__(self, x):
            self.x = x

    with ctx.Pool(2) as pool:
        print(pool.map(times, [Point(1), Point(2)]))
        print(pool.starmap(lambda a, b: a - b, [(9, 1), (8, 2)]))
    proc = ctx.Process(target=lambda: print("child", factor, mp.current_process().name != "MainProcess"))
    proc.start()
    proc.join()


if __name__ == "__main__":
    main()
