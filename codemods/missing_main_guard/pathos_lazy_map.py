# A pathos map made with a process pool class makes that pool each time it is called: guard the script.
from pathos.maps import Imap
from pathos.pools import ProcessPool


def square(x):
    return x * x


print("squares:")
parallel = Imap(ProcessPool, nodes=2)
print(list(parallel(square, range(4))))
