# An IsolatedAsyncioTestCase (imported by name) maps self.double over a Pool: the running test cannot be pickled.
from multiprocessing import Pool
from unittest import IsolatedAsyncioTestCase, main


class DoubleTest(IsolatedAsyncioTestCase):
    def double(self, n):
        return n * 2

    async def test_double(self):
        with Pool(2) as pool:
            self.assertEqual(pool.map(self.double, [1, 2]), [2, 4])


if __name__ == "__main__":
    main()
