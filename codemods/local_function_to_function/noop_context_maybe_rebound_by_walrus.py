# `ctx` is a fork context, and a walrus that may not run could make it a spawn one: not sure which the
# `Process` gets, so nothing is said (here the walrus does not run: a fork child needs no pickling).
import multiprocessing as mp
import sys


def main():
    def work(x):
        print("child", x)

    ctx = mp.get_context("fork")
    _ = len(sys.argv) > 5 and (ctx := mp.get_context("spawn"))
    p = ctx.Process(target=work, args=(1,))
    p.start()
    p.join()


if __name__ == "__main__":
    main()
