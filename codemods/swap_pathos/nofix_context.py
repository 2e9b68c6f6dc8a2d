# A pool from get_context("spawn"): pathos pools have no context, so the swap is refused.
import multiprocessing

if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        print(pool.map(lambda x: x * 3, range(3)))
