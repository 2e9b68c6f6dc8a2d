# `ctx` is a spawn context where the first lambda is handed over and a fork context later: the read sees
# the binding that surely runs before it, so the first lambda is reported and the second is not.
import multiprocessing as mp


def measure(queue):
    ctx = mp.get_context("spawn")
    p = ctx.Process(target=lambda: None)
    p.start()
    p.join()
    print("spawn", p.exitcode)
    ctx = mp.get_context("fork")
    p = ctx.Process(target=lambda: queue.put("fork"))
    p.start()
    p.join()
    print(queue.get(), p.exitcode)


if __name__ == "__main__":
    measure(mp.get_context("fork").Queue())
