# Thread targets whose default is the current item of a loop: threads pickle nothing, so nothing is reported.
import threading


def main():
    results = []
    threads = [threading.Thread(target=lambda item=item: results.append(item * 2)) for item in [1, 2, 3]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(sorted(results))


if __name__ == "__main__":
    main()
