# A lambda body spanning lines, with a comment and a triple-quoted string, moves unchanged.
import multiprocessing


def main():
    with multiprocessing.Pool(2) as pool:
        out = pool.map(
            lambda name: """Dear %s,
    this line keeps its indentation
""" % name  # the letter
            + "-- end",
            ["Ann", "Bob"],
        )
    for letter in out:
        print(letter)


if __name__ == "__main__":
    main()
