# tqdm's process_map runs its function in a ProcessPoolExecutor: a lambda that captures a local fails to pickle.
from tqdm.contrib.concurrent import process_map


def main():
    offset = 10
    print(process_map(lambda x: x + offset, [1, 2, 3], max_workers=2, chunksize=1, disable=True))


if __name__ == "__main__":
    main()
