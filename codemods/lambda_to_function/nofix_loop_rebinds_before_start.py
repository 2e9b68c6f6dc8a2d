# Processes made in a loop and started after it: under fork each reads the loop variable when it starts (its last value), so no fix.
import multiprocessing


def main():
    processes = []
    for i in range(3):
        processes.append(multiprocessing.Process(target=lambda: print(i, flush=True)))
    for p in processes:
        p.start()
        p.join()


if __name__ == "__main__":
    main()
