# A local function given to builtin map in a module that also uses multiprocessing.
import multiprocessing


def main():
    def inc(x):
        return x + 1

    print(list(map(inc, [1, 2])), multiprocessing.current_process().name)


if __name__ == "__main__":
    main()
