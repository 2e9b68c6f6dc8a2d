#!/usr/bin/env python3
# The processes get the Queue as an argument and are joined: the guard is enough.
import multiprocessing


def producer(q):
    for i in range(3):
        q.put(i)
    q.put(None)


def consumer(q):
    while (item := q.get()) is not None:
        print("got", item)


q = multiprocessing.Queue()
procs = [multiprocessing.Process(target=consumer, args=(q,)), multiprocessing.Process(target=producer, args=(q,))]
for p in procs:
    p.start()
for p in procs:
    p.join()
