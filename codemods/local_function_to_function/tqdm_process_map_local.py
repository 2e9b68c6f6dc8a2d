# A local function handed to tqdm's process_map (a ProcessPoolExecutor underneath) moves to module level.
from tqdm.contrib.concurrent import process_map


def main():
    def cube(x):
        return x**3

    print(process_map(cube, [1, 2, 3], max_workers=2, disable=True))


if __name__ == "__main__":
    main()
