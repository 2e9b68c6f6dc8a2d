# A Process object created at module level but started only under the guard.
from multiprocessing import Process


def hello():
    print("hello", flush=True)


proc = Process(target=hello)

if __name__ == "__main__":
    proc.start()
    proc.join()
