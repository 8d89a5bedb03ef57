# expect: b() returned 3, expected 1
# why: keeps the count in a module-level variable with `global`, so every counter shares one count instead of each having its own.
_count = 0


def make_counter(start=0):
    global _count
    _count = start

    def counter(step=1):
        global _count
        _count += step
        return _count

    return counter


def make_multipliers(n):
    def make_multiplier(factor):
        return lambda x: x * factor

    return [make_multiplier(i) for i in range(n)]

