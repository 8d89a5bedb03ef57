# expect: parse re-raised the very exception object False, expected True
# why: re-raises a new exception of the same type built from the message, so the caller loses the original object (its attributes, its traceback, its cause).
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
            shown = [repr(arg) for arg in args]
            shown += [f"{key}={value!r}" for key, value in kwargs.items()]
            logger(f"calling {name}({', '.join(shown)})")
            try:
                result = func(*args, **kwargs)
            except Exception as error:
                logger(f"{name} raised {type(error).__name__}: {error}")
                raise type(error)(*error.args)
            logger(f"{name} returned {result!r}")
            return result

        # A plain function is a descriptor: looked up on an instance, `wrapper` becomes a
        # bound method like any other, so `self` arrives in args with nothing more to do.
        return wrapper

    return decorator
