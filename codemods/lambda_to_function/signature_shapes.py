# Positional-only, *args, keyword-only and **kwargs survive, with captures appended as keyword-only.
import functools
import multiprocessing


def shape(a, /, b=2, *rest, c, **extra):
    return (a, b, rest, c, sorted(extra))


def main():
    unit = "cm"
    with multiprocessing.Pool(2) as pool:
        job = pool.apply_async(
            lambda a, /, b=2, *rest, c=3, **extra: (shape(a, b, *rest, c=c, **extra), unit),
            (1, 5, 6),
            {"c": 4, "z": 0},
        )
        print(job.get())
        print(functools.reduce(lambda x, y: x + y, [1, 2, 3]))


if __name__ == "__main__":
    main()
