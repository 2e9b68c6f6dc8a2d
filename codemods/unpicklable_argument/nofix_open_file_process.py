# An open file traced through a local name into Process(args=...): fine under fork, fails under spawn.
import os
import multiprocessing


def work(log):
    log.write("hello\n")


if __name__ == "__main__":
    log = open(os.devnull, "w")
    proc = multiprocessing.Process(target=work, args=(log,))
    proc.start()
    proc.join()
    print("exit code", proc.exitcode)
