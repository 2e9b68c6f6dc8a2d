# loky's reusable executor pickles tasks with cloudpickle, which sends lambdas: nothing to fix.
import loky


def main():
    offset = 5
    executor = loky.get_reusable_executor(max_workers=2)
    print(list(executor.map(lambda x: x + offset, [1, 2])))
    print(executor.submit(lambda: offset * 2).result())


if __name__ == "__main__":
    main()
