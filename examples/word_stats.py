"""Word statistics in parallel. Every `pool.map` here hands a lambda to the pool, which pickle refuses."""
import multiprocessing


def main():
    words = ["spawn", "fork", "forkserver", "pickle", "lambda"]
    min_length = 6
    with multiprocessing.Pool(2) as pool:
        lengths = pool.map(lambda word: len(word), words)
        shout = lambda word: word.upper() + "!"
        loud = pool.map(shout, words)
        long_words = pool.map(lambda word: word if len(word) >= min_length else None, words)
    print(dict(zip(words, lengths)))
    print(loud)
    print([word for word in long_words if word])


if __name__ == "__main__":
    main()
