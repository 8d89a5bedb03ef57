# expect: logger got 'calling Account.deposit(5)', expected "calling Account.deposit(Account('ada'), 5)"
# why: writes the decorator as a class with __call__ but no __get__; an instance of such a class is not a descriptor, so a decorated method is never bound and `self` is not passed.
import functools


def log_calls(logger=print):
    def decorator(func):
        return LoggedCall(func, logger)

    return decorator


class LoggedCall:
    def __init__(self, func, logger):
        functools.update_wrapper(self, func)
        self.func = func
        self.logger = logger

    def __call__(self, *args, **kwargs):
        name = self.func.__qualname__
        shown = [repr(arg) for arg in args]
        shown += [f"{key}={value!r}" for key, value in kwargs.items()]
        self.logger(f"calling {name}({', '.join(shown)})")
        try:
            result = self.func(*args, **kwargs)
        except Exception as error:
            self.logger(f"{name} raised {type(error).__name__}: {error}")
            raise
        self.logger(f"{name} returned {result!r}")
        return result
