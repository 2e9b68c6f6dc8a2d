# A local function reads a global that `main` assigns at run time: moved and spawned, the child would see the import-time value.
import multiprocessing

CONFIG = None


def main():
    global CONFIG
    CONFIG = "loaded"

    def work():
        print(CONFIG)

    p = multiprocessing.Process(target=work)
    p.start()
    p.join()


if __name__ == "__main__":
    main()
