# The same branches starting threads: nothing is pickled, nothing to do.
from threading import Thread


def run(mode, words):
    if mode == "upper":
        for word in words:
            text = word.upper()
            p = Thread(target=lambda: print(text))
            p.start()
            p.join()
    elif mode == "lower":
        for word in words:
            text = word.lower()
            p = Thread(target=lambda: print(text))
            p.start()
            p.join()


if __name__ == "__main__":
    run("upper", ["spawn", "fork"])
    run("lower", ["ForkServer"])
