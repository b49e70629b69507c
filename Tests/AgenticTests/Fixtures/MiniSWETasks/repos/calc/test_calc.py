import unittest

from calc import double


class DoubleTest(unittest.TestCase):
    def test_double_zero(self):
        self.assertEqual(double(0), 0)


if __name__ == "__main__":
    unittest.main()
