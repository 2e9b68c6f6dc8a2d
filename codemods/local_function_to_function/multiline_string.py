# Re-indenting the body never touches the inside of a triple-quoted string.
import multiprocessing


def main():
    def report(name):
        template = """Report for %s:
    - indented line stays indented
        - and so does this one
"""
        return template % name

    with multiprocessing.Pool(2) as pool:
        for text in pool.map(report, ["a", "b"]):
            print(text, end="")


if __name__ == "__main__":
    main()
