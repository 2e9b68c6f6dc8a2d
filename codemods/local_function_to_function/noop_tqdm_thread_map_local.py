# A local function handed to tqdm's thread_map runs in a thread: it stays where it is.
from tqdm.contrib.concurrent import thread_map


def main():
    def cube(x):
        return x**3

    print(thread_map(cube, [1, 2, 3], max_workers=2, disable=True))


if __name__ == "__main__":
    main()
