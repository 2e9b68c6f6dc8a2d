# A task returns an instance of a class it defines: sending the result back fails.
import multiprocessing


def measure(text):
    class Result:
        def __init__(self, value):
            self.value = value

        def __repr__(self):
            return f"Result({self.value})"

    return Result(len(text))


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print(pool.map(measure, ["ab", "cde"]))
