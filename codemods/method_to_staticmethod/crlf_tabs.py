# Tab indentation and CRLF line endings; an executor on self.
from concurrent.futures import ProcessPoolExecutor


class Service:
	def __init__(self):
		self.executor = ProcessPoolExecutor(2)

	def handle(self, request):
		return request.upper()

	def serve(self, requests):
		try:
			return list(self.executor.map(self.handle, requests))
		finally:
			self.executor.shutdown()


if __name__ == "__main__":
	print(Service().serve(["a", "b"]))
