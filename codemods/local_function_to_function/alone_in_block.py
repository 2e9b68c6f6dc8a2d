# A def alone in its block leaves a `pass` behind; an initializer that is a local function.
import multiprocessing

STATE = {}


def task(x):
    return (x, STATE.get("ready"))


def main():
    if True:
        def init():
            STATE["ready"] = True

    with multiprocessing.Pool(1, initializer=init) as pool:
        print(pool.map(task, [1, 2]))


if __name__ == "__main__":
    main()
