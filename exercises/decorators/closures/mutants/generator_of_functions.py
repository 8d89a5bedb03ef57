# expect: type(ms).__name__ returned 'generator', expected 'list'
# why: returns a generator expression instead of a list; it gets the binding right but has no len() and no indexing, and it can be iterated only once.
def make_counter(start=0):
    count = start

    def counter(step=1):
        nonlocal count
        count += step
        return count

    return counter


def make_multipliers(n):
    return (lambda x, i=i: x * i for i in range(n))
