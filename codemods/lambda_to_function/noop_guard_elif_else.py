# Only a lambda that reaches a process pool is touched, in any branch of the guard.
from concurrent.futures import ThreadPoolExecutor
import multiprocessing

if __name__ != "__main__":
    pass
elif multiprocessing.cpu_count() > 0:
    with ThreadPoolExecutor(2) as ex:
        print(list(ex.map(lambda x: x * 5, [1, 2])))
else:
    print("no cpu")
