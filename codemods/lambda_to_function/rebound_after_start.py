# A captured name is assigned again after the process started: the child already has its value, so binding it at the lambda is faithful.
import multiprocessing


def main():
    queue = multiprocessing.Queue()
    message = "first"
    p = multiprocessing.Process(target=lambda: queue.put(message))
    p.start()
    message = "second"
    print(queue.get(), message)
    p.join()


if __name__ == "__main__":
    main()
