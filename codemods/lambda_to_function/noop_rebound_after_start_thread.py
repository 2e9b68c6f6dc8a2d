# A thread target whose captured name is assigned again after the start: threads pickle nothing, so nothing is reported.
import threading


def main():
    results = []
    message = "first"
    t = threading.Thread(target=lambda: results.append(message))
    t.start()
    t.join()
    message = "second"
    print(results[0], message)


if __name__ == "__main__":
    main()
