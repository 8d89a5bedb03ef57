# expect: c() returned 0, expected 1
# why: returns the count before adding the step (a post-increment), so the first call returns start instead of start + 1.
def make_counter(start=0):
    count = start

    def counter(step=1):
        nonlocal count
        old = count
        count += step
        return old

    return counter


def make_multipliers(n):
    def make_multiplier(factor):
        return lambda x: x * factor

    return [make_multiplier(i) for i in range(n)]

