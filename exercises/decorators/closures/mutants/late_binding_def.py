# expect: [m(10) for m in ms] returned [30, 30, 30, 30], expected [0, 10, 20, 30]
# why: defines the function with def inside the for loop, which is the same late-binding trap as a lambda: the function reads i when called, and by then i is n - 1.
def make_counter(start=0):
    count = start

    def counter(step=1):
        nonlocal count
        count += step
        return count

    return counter


def make_multipliers(n):
    functions = []
    for i in range(n):
        def multiply(x):
            return x * i
        functions.append(multiply)
    return functions
