# A library module that configures logging and starts no process: nothing to do.
import logging
import sys

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(message)s")
log = logging.getLogger("library")


def work(x):
    log.info("working on %s", x)
    return x + 1


print(work(1))
