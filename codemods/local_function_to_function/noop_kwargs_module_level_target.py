# A module-level Process target with **kwargs gets the function it calls as an argument: nothing to move.
import multiprocessing


def inner(queue, func, **kwargs):
    queue.put(func(**kwargs))


def area(width, height):
    return width * height


if __name__ == "__main__":
    queue = multiprocessing.Queue()
    p = multiprocessing.Process(target=inner, args=(queue, area), kwargs={"width": 3, "height": 4})
    p.start()
    print(queue.get())
    p.join()
