# Two functions each start a Process with their own local `job`: the moved functions get different names.
import multiprocessing


def first(queue):
    def job(q):
        q.put("a")

    p = multiprocessing.Process(target=job, args=(queue,))
    p.start()
    p.join()


def second(queue):
    def job(q):
        q.put("b")

    p = multiprocessing.Process(target=job, args=(queue,))
    p.start()
    p.join()


if __name__ == "__main__":
    q = multiprocessing.Queue()
    first(q)
    second(q)
    print(q.get(), q.get())
