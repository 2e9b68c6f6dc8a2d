# A local function reads `os`, which only its function imports: a module cannot be passed to another process.
import multiprocessing


def main():
    import os

    def work(name):
        return os.path.join("data", name)

    with multiprocessing.Pool(2) as pool:
        print(pool.map(work, ["a", "b"]))


if __name__ == "__main__":
    main()
