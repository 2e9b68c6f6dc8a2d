# Lambdas as sort keys next to a pool: only what reaches the pool matters.
from concurrent.futures import ProcessPoolExecutor


def weight(word):
    return len(word)


if __name__ == "__main__":
    words = sorted(["ccc", "a", "bb"], key=lambda w: -len(w))
    with ProcessPoolExecutor(2) as ex:
        print(list(ex.map(weight, words)))
