# dask's processes scheduler pickles tasks with cloudpickle, which sends lambdas: nothing to fix.
import dask.bag as db


def main():
    factor = 3
    bag = db.from_sequence([1, 2, 3], npartitions=2)
    print(bag.map(lambda x: x * factor).filter(lambda x: x > 3).compute(scheduler="processes"))


if __name__ == "__main__":
    main()
