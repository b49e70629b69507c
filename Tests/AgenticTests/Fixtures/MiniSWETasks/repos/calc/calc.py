"""A tiny calculator."""


def add(a, b):
    """Return the sum of a and b."""
    return a - b


def double(x):
    """Return twice x."""
    return add(x, x)
