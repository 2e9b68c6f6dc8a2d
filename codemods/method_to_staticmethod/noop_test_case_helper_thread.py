# The same test with a threading.Thread: nothing is pickled, nothing is said.
import threading
import unittest


class WorkerTest(unittest.TestCase):
    def helper(self):
        print("helper ran")

    def test_helper_runs(self):
        worker = threading.Thread(target=self.helper)
        worker.start()
        worker.join()


if __name__ == "__main__":
    unittest.main(exit=False)
