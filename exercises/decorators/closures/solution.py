"""Reference solution of the closures exercise."""


def make_counter(start=0):
    """Return a function counter(step=1) that adds step to its own count and returns it."""
    count = start  # a local of make_counter, kept alive by the closure below

    def counter(step=1):
        # Without `nonlocal`, `count += step` would make count a local of counter, and
        # reading it before any assignment raises UnboundLocalError.
        nonlocal count
        count += step
        return count

    return counter


def make_multiplier(factor):
    """Return a function that multiplies its argument by factor.

    Each call of make_multiplier has its own `factor`, so each function it returns keeps
    its own value: that is what a closure over a loop variable does not give you.
    """

    def multiply(x):
        return x * factor

    return multiply


def make_multipliers(n):
    """Return a list of n functions; the i-th one multiplies its argument by i."""
    # [lambda x: x * i for i in range(n)] would be wrong: every lambda would look up `i`
    # when called, after the loop ended, and all would multiply by n - 1.
    return [make_multiplier(i) for i in range(n)]
