# A logging handler inside starmap rows.
import logging
import multiprocessing


def emit(handler, text):
    return text


if __name__ == "__main__":
    handler = logging.StreamHandler()
    with multiprocessing.Pool(2) as pool:
        print(pool.starmap(emit, [(handler, "a"), (handler, "b")]))
