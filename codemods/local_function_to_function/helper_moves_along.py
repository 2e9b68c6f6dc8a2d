# A local helper that captures nothing moves along with the function that calls it.
from concurrent.futures import ProcessPoolExecutor


def main():
    def clean(text):
        return text.strip().lower()

    def count(text):
        return len(clean(text))

    with ProcessPoolExecutor(2) as ex:
        print(list(ex.map(count, ["  Spawn ", "FORK"])))
    print(clean("  Done  "))


if __name__ == "__main__":
    main()
