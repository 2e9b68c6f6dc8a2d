# A lambda bound to a local name and handed to imap later.
import multiprocessing as mp


def run(power):
    transform = lambda x: x ** power
    with mp.Pool(processes=2) as pool:
        return list(pool.imap(transform, [1, 2, 3, 4]))


if __name__ == "__main__":
    print(run(2))
