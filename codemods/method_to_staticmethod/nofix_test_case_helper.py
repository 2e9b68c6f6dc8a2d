# A unittest.TestCase hands self.helper to a Process: pickling the running test pickles its result's stream.
import unittest
from multiprocessing import Process


class WorkerTest(unittest.TestCase):
    def helper(self):
        print("helper ran")

    def test_helper_runs(self):
        worker = Process(target=self.helper)
        worker.start()
        worker.join()
        self.assertEqual(worker.exitcode, 0)


if __name__ == "__main__":
    unittest.main()
