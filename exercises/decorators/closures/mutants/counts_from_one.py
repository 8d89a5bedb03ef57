# expect: [m(10) for m in ms] returned [10, 20, 30, 40], expected [0, 10, 20, 30]
# why: numbers the functions from 1 (range(1, n + 1)), so the i-th multiplies by i + 1: an off-by-one.
def make_counter(start=0):
    count = start

    def counter(step=1):
        nonlocal count
        count += step
        return count

    return counter


def make_multipliers(n):
    def make_multiplier(factor):
        return lambda x: x * factor

    return [make_multiplier(i) for i in range(1, n + 1)]
