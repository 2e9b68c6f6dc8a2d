# A captured name is assigned again only in another branch of the `if`: binding its value where the lambda stood is faithful.
import multiprocessing


def main(mode):
    queue = multiprocessing.Queue()
    if mode == "double":
        factor = 2
        p = multiprocessing.Process(target=lambda: queue.put(21 * factor))
    else:
        factor = 3
        p = multiprocessing.Process(target=lambda: queue.put(21 * factor))
    p.start()
    print(queue.get())
    p.join()


if __name__ == "__main__":
    main("double")
    main("triple")
