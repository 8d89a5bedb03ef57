# expect: [m(10) for m in ms] returned [30, 30, 30, 30], expected [0, 10, 20, 30]
# why: makes the functions with lambdas in a loop; each looks up i when it is called, after the loop has ended, so all of them multiply by the last value, n - 1.
def make_counter(start=0):
    count = start

    def counter(step=1):
        nonlocal count
        count += step
        return count

    return counter


def make_multipliers(n):
    return [lambda x: x * i for i in range(n)]
