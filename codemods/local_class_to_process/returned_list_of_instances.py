# A pool task returns a list of instances of a class it defines in a for loop: the result is pickled back.
import multiprocessing


def split(text):
    parts = []
    for word in text.split():
        class Part:
            def __init__(self, word):
                self.word = word

            def __repr__(self):
                return f"Part({self.word!r})"

        parts.append(Part(word))
    return parts


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print(pool.map(split, ["a b", "c"]))
