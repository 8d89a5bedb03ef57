# expect: c() returned 1, expected 11
# why: always starts the count at 0, ignoring the start argument.
def make_counter(start=0):
    count = 0

    def counter(step=1):
        nonlocal count
        count += step
        return count

    return counter


def make_multipliers(n):
    def make_multiplier(factor):
        return lambda x: x * factor

    return [make_multiplier(i) for i in range(n)]

