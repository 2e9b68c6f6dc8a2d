# A local function with **kwargs reads a name of a function around it: the name is passed as a keyword-only parameter before **kwargs.
import multiprocessing


def make_runner(func):
    def run(**kwargs):
        queue = multiprocessing.Queue()

        def inner(queue, **kwargs):
            queue.put(func(**kwargs))

        p = multiprocessing.Process(target=inner, args=(queue,), kwargs=kwargs)
        p.start()
        result = queue.get()
        p.join()
        return result

    return run


def area(width, height):
    return width * height


if __name__ == "__main__":
    print(make_runner(area)(width=3, height=4))
