# The local function captures the function a decorator wraps: pickle would look it up by its name, which
# now names the wrapper, so moving the local function cannot make it reach a child. No fix.
import functools
from multiprocessing import Process, Queue


def in_a_process(func):
    @functools.wraps(func)
    def wrapper():
        queue = Queue()

        def run(queue):
            queue.put(func())

        proc = Process(target=run, args=(queue,))
        proc.start()
        print(queue.get())
        proc.join()

    return wrapper


@in_a_process
def answer():
    return 42


if __name__ == "__main__":
    answer()
