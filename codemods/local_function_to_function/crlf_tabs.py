# Tab indentation and CRLF line endings are kept in the moved code.
import multiprocessing


def main():
	base = 10

	def add(x):
		if x:
			return base + x
		return base

	with multiprocessing.Pool(2) as pool:
		print(pool.map(add, [0, 1, 2]))


if __name__ == "__main__":
	main()
