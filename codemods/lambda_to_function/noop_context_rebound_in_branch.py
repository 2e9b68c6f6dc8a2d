# `ctx` may be a spawn or a fork context where the lambda is handed over (a branch rebinds it): not sure,
# so nothing is said (here the branch is taken: a fork child needs no pickling).
import multiprocessing as mp


def measure(use_fork, queue):
    ctx = mp.get_context("spawn")
    if use_fork:
        ctx = mp.get_context("fork")
    p = ctx.Process(target=lambda: queue.put("child"))
    p.start()
    p.join()
    print(queue.get(), p.exitcode)


if __name__ == "__main__":
    measure(True, mp.get_context("fork").Queue())
