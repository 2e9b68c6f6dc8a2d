# An asyncio event loop in Process(kwargs=...).
import asyncio
import multiprocessing


def work(loop=None):
    print(loop is not None)


if __name__ == "__main__":
    proc = multiprocessing.Process(target=work, kwargs={"loop": asyncio.new_event_loop()})
    proc.start()
    proc.join()
