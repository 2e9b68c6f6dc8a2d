# logging.basicConfig stays at module level, so that spawned workers are configured as forked ones; the prints move.
import logging
import sys
from multiprocessing import Pool


def level(_):
    return logging.getLogger().getEffectiveLevel()


print("starting")
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(message)s")
logging.info("parent configured")
with Pool(2) as pool:
    print("worker levels:", pool.map(level, [1, 2]))
