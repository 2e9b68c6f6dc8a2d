# `f = lambda` under the guard reading a guard-only name: moved, with the name passed by functools.partial.
import multiprocessing

if __name__ == "__main__":
    suffix = "!"
    shout = lambda word: word.upper() + suffix
    with multiprocessing.Pool(2) as pool:
        print(pool.map(shout, ["a", "b"]))
