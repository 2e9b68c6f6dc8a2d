# Two Events made in one tuple assignment at module level, read by the worker: a spawned child would make
# its own and wait forever, so the guard alone cannot fix the script: no fix.
import multiprocessing

ready, done = multiprocessing.Event(), multiprocessing.Event()


def work():
    ready.wait()
    print("got it")
    done.set()


p = multiprocessing.Process(target=work)
p.start()
ready.set()
done.wait()
p.join()
