# Two processes run two versions of `work`, each defined just above it: below both definitions (and in a spawned child, which finds `work` by name) only the second exists, so no fix.
import multiprocessing


def work():
    print("first", flush=True)


p = multiprocessing.Process(target=work)
p.start()
p.join()


def work():
    print("second", flush=True)


p = multiprocessing.Process(target=work)
p.start()
p.join()
