# The fixed shape: pass the path, open the file in the worker.
import os
import multiprocessing


def work(path):
    with open(path, "w") as log:
        log.write("hello\n")
    print("wrote", os.path.basename(path), flush=True)


if __name__ == "__main__":
    proc = multiprocessing.Process(target=work, args=(os.devnull,))
    proc.start()
    proc.join()
