# Under an explicit fork context a Process target and pool initializers are never pickled: no finding.
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

if __name__ == "__main__":
    ctx = mp.get_context("fork")
    proc = ctx.Process(target=lambda: print("child ok", flush=True))
    proc.start()
    proc.join()
    with ctx.Pool(1, initializer=lambda: None) as pool:
        print(pool.apply(len, ("ab",)))
    with ProcessPoolExecutor(1, mp_context=ctx, initializer=lambda: None) as ex:
        print(ex.submit(len, "abc").result())
