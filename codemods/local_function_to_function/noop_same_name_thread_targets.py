# Two functions each run their own local `job` in a thread: threads pickle nothing, so nothing moves.
import threading

results = []


def first():
    def job():
        results.append("a")

    t = threading.Thread(target=job)
    t.start()
    t.join()


def second():
    def job():
        results.append("b")

    t = threading.Thread(target=job)
    t.start()
    t.join()


if __name__ == "__main__":
    first()
    second()
    print(*results)
