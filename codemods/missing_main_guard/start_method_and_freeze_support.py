# freeze_support and set_start_method move under the guard: a spawned child that sets the method again fails.
import multiprocessing as mp


def square(x):
    return x * x


mp.freeze_support()
mp.set_start_method("spawn")
with mp.Pool(2) as pool:
    print(pool.map(square, range(4)))
