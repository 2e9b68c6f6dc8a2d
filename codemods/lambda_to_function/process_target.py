# Process(target=lambda) works under fork and fails under spawn; the fix works under both.
import multiprocessing


def main():
    greeting = "hello from the child"
    proc = multiprocessing.Process(target=lambda: print(greeting, flush=True))
    proc.start()
    proc.join()
    print("exit code", proc.exitcode)


if __name__ == "__main__":
    main()
