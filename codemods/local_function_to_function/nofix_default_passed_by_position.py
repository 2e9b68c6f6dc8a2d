# A default that reads a local, for a parameter that a call passes by position: partial could not bind it.
import multiprocessing


def main(n):
    def job(x, scale=n):
        return x * scale

    print(job(1, 10))
    with multiprocessing.Pool(2) as pool:
        print(pool.map(job, [1, 2, 3]))


if __name__ == "__main__":
    main(5)
