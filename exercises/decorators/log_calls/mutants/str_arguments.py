# expect: logger got 'calling greet(Ada)', expected "calling greet('Ada')"
# why: formats the arguments with str() instead of repr(), so greet('Ada') is logged as greet(Ada) and the string '1' cannot be told from the number 1.
import functools


def log_calls(logger=print):
    """Return a decorator that reports every call, and its outcome, to `logger`.

    `logger` is any callable taking one string (print, a list's append, a
    logging.Logger's info method...). It is injected rather than hard-coded so that the
    decorated code can be tested without reading stdout or configuring logging.
    """

    def decorator(func):
        # __qualname__ names a method with its class: "Account.deposit".
        name = func.__qualname__

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            shown = [str(arg) for arg in args]
            shown += [f"{key}={value}" for key, value in kwargs.items()]
            logger(f"calling {name}({', '.join(shown)})")
            try:
                result = func(*args, **kwargs)
            except Exception as error:
                logger(f"{name} raised {type(error).__name__}: {error}")
                raise  # the same exception object, with its traceback
            logger(f"{name} returned {result!r}")
            return result

        # A plain function is a descriptor: looked up on an instance, `wrapper` becomes a
        # bound method like any other, so `self` arrives in args with nothing more to do.
        return wrapper

    return decorator
