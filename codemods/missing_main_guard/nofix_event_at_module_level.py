# The worker reads an Event made at module level: forked children share it, but a spawned child that
# imports the module makes its own and waits forever. Guarding the script cannot fix that: no fix.
import multiprocessing

ready = multiprocessing.Event()


def work():
    ready.wait()
    print("got it")


p = multiprocessing.Process(target=work)
p.start()
ready.set()
p.join()
