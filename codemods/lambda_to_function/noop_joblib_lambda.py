# joblib's default backend (loky) pickles tasks with cloudpickle, which sends lambdas: nothing to fix.
from joblib import Parallel, delayed


def main():
    factor = 3
    print(Parallel(n_jobs=2)(delayed(lambda x: x * factor)(i) for i in range(4)))
    print(Parallel(n_jobs=2, backend="loky")(delayed(lambda x, y: x + y)(i, factor) for i in range(2)))


if __name__ == "__main__":
    main()
