# expect: c() raised UnboundLocalError
# why: assigns to count inside counter without declaring it nonlocal, so Python makes count a local of counter, and count += step reads it before it has a value.
def make_counter(start=0):
    count = start

    def counter(step=1):
        count += step
        return count

    return counter


def make_multipliers(n):
    def make_multiplier(factor):
        return lambda x: x * factor

    return [make_multiplier(i) for i in range(n)]

