# A Process target that uses the event loop its parent set up: a forked child inherits that loop, a spawned one would get a new one.
import asyncio
import multiprocessing


def main():
    loop = asyncio.new_event_loop()
    loop.set_debug(True)
    asyncio.set_event_loop(loop)
    p = multiprocessing.Process(target=lambda: print(asyncio.get_event_loop().get_debug()))
    p.start()
    p.join()


if __name__ == "__main__":
    main()
