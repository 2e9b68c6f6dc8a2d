# A script that seeds and prints but starts no process: nothing to do.
import random

random.seed(7)
print("drawing")
print(random.randint(0, 1000))
