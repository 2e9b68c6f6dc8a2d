# A local dataclass instance bound to a name and submitted; the decorator moves with the class.
import dataclasses
from concurrent.futures import ProcessPoolExecutor


def area(rect):
    return rect.w * rect.h


def main():
    @dataclasses.dataclass
    class Rect:
        w: int
        h: int

    rect = Rect(3, 4)
    with ProcessPoolExecutor(1) as ex:
        print(ex.submit(area, rect).result())


if __name__ == "__main__":
    main()
