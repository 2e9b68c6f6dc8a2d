# A captured name assigned in two branches, with a thread target: threads pickle nothing, so nothing is reported.
import threading


def main(mode):
    results = []
    if mode == "double":
        factor = 2
        t = threading.Thread(target=lambda: results.append(21 * factor))
    else:
        factor = 3
        t = threading.Thread(target=lambda: results.append(21 * factor))
    t.start()
    t.join()
    print(results[0])


if __name__ == "__main__":
    main("double")
    main("triple")
