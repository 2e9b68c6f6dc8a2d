# A lambda wrapped in functools.partial; the existing `partial` import is reused for the captures.
from functools import partial
from multiprocessing import get_context


def main(base):
    ctx = get_context("spawn")
    with ctx.Pool(2) as pool:
        add = partial(lambda x, y: x + y + base, y=1)
        print(pool.map(add, [10, 20]))


if __name__ == "__main__":
    main(1000)
