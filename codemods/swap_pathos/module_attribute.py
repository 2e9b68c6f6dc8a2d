# `mp.Pool(...)` through the module: the constructor is renamed and imported.
import multiprocessing as mp


def main():
    words = ["spawn", "fork", "forkserver"]
    pool = mp.Pool(processes=2)
    lengths = pool.map(lambda w: len(w), words)
    pool.terminate()
    pool.join()
    print(dict(zip(words, lengths)), mp.cpu_count() > 0)


if __name__ == "__main__":
    main()
