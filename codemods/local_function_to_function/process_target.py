# Process(target=local_function) works under fork and fails under spawn; the fix works under both.
import multiprocessing


def main():
    greeting = "hello"

    def child(name):
        print(greeting, name, flush=True)

    proc = multiprocessing.Process(target=child, args=("from the child",))
    proc.start()
    proc.join()
    print("exit code", proc.exitcode)


if __name__ == "__main__":
    main()
