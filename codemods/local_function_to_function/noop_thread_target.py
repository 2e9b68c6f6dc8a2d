# A local function as threading.Thread target shares memory: nothing to do.
import threading
import multiprocessing


def main():
    out = []

    def work():
        out.append(multiprocessing.cpu_count() > 0)

    t = threading.Thread(target=work)
    t.start()
    t.join()
    print(out)


if __name__ == "__main__":
    main()
