# A pathos map without a pool maps in the caller, and one with a thread pool starts threads: no guard needed.
from pathos.maps import Imap
from pathos.pools import ThreadPool


def square(x):
    return x * x


print(list(Imap()(square, range(4))))
print(list(Imap(ThreadPool, nodes=2)(square, range(4))))
