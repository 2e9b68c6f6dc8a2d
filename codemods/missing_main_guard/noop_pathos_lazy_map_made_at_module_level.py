# Making a pathos map starts nothing; it is called only under the guard: nothing to do.
from pathos.maps import Imap
from pathos.pools import ProcessPool

parallel = Imap(ProcessPool, nodes=2)


def square(x):
    return x * x


if __name__ == "__main__":
    print(list(parallel(square, range(4))))
