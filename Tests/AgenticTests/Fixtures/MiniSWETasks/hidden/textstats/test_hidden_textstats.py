import unittest

from textstats import mean_word_length, words


class HiddenTextStatsTest(unittest.TestCase):
    def test_words_ignore_repeated_whitespace(self):
        self.assertEqual(words("a  bb\tccc\n"), ["a", "bb", "ccc"])

    def test_mean_of_empty_text(self):
        self.assertEqual(mean_word_length("   "), 0)

    def test_mean(self):
        self.assertEqual(mean_word_length("ab  abcd"), 3)


if __name__ == "__main__":
    unittest.main()
