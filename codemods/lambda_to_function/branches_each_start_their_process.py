# Each branch makes and starts its own process in a loop; the other branch's bindings never reach it.
from multiprocessing import Process


def run(mode, words):
    if mode == "upper":
        for word in words:
            text = word.upper()
            p = Process(target=lambda: print(text))
            p.start()
            p.join()
    elif mode == "lower":
        for word in words:
            text = word.lower()
            p = Process(target=lambda: print(text))
            p.start()
            p.join()


if __name__ == "__main__":
    run("upper", ["spawn", "fork"])
    run("lower", ["ForkServer"])
