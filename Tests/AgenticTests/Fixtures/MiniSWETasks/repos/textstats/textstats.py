"""Word statistics of a text."""


def words(text):
    """The words of text, split on whitespace."""
    return text.split(" ")


def mean_word_length(text):
    """The mean length of the words of text (0 for a text without words)."""
    ws = words(text)
    if not ws:
        return 0
    return sum(len(w) for w in ws) / len(ws)
