# Tab indentation and CRLF line endings; the pool sits in a module-level if block.
import sys
import multiprocessing


def neg(x):
	return -x


if len(sys.argv) < 5:
	with multiprocessing.Pool(2) as pool:
		print(pool.map(neg, [1, 2]))
