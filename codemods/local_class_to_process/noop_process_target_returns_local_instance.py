# A Process target returns an instance of a class it defines: a Process's result goes nowhere, nothing is pickled.
import multiprocessing


def split(text):
    class Part:
        def __init__(self, word):
            self.word = word

    print(len(text.split()))
    return [Part(word) for word in text.split()]


if __name__ == "__main__":
    worker = multiprocessing.Process(target=split, args=("a b",))
    worker.start()
    worker.join()
