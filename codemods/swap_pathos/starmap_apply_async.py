# Lambdas and a local function through every Pool method pathos renames; a reused pool of one size.
from multiprocessing import Pool

OFFSET = 100


def main():
    scale = 3

    def scaled(x):
        return x * scale

    with Pool(2) as pool:
        print(pool.map(lambda x: x + OFFSET, range(3)))
        print(pool.starmap(lambda a, b: a * b, [(1, 2), (3, 4)]))
        print(pool.apply_async(lambda a, b=0: a - b, (5,), {"b": 2}).get())
        print(pool.apply(scaled, (7,)))
        print(sorted(pool.imap_unordered(scaled, range(4), 2)))
        print(pool.map_async(scaled, range(3)).get())
    pool = Pool(2)
    print(pool.map(scaled, range(5), 2))
    pool.close()
    pool.join()
    # The same size again: pathos would hand out the closed pool without clear().
    pool = Pool(2)
    print(pool.starmap(divmod, [(7, 2), (9, 4)]))
    pool.close()
    pool.join()


if __name__ == "__main__":
    main()
