# CRLF line endings and tab indentation are kept, and new code uses them too.
import multiprocessing


def main():
	with multiprocessing.Pool(2) as pool:
		if True:
			print(pool.map(lambda s: s.upper(), ["a", "b"]))


if __name__ == "__main__":
	main()
