# apply_async with a callback: pathos's apipe takes none, so the swap is refused.
from multiprocessing import Pool

if __name__ == "__main__":
    done = []
    with Pool(2) as pool:
        pool.apply_async(lambda x: x + 1, (1,), callback=done.append).get()
    print(done)
