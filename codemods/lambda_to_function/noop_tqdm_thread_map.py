# tqdm's thread_map runs its function in threads: nothing is pickled, the lambda stays.
from tqdm.contrib.concurrent import thread_map


def main():
    offset = 10
    print(thread_map(lambda x: x + offset, [1, 2, 3], max_workers=2, chunksize=1, disable=True))


if __name__ == "__main__":
    main()
