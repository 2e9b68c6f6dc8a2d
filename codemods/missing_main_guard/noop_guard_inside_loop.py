# The guard stands inside a module-level loop: a child that imports the module starts nothing.
import multiprocessing


def work(x):
    print("child", x)


for run in range(2):
    if __name__ == "__main__":
        p = multiprocessing.Process(target=work, args=(run,))
        p.start()
        p.join()
