"""Context managers, as a class and with contextlib: see README.md for the exact
behaviour to implement."""
import contextlib
import time


class Timer:
    """Measures how long its with-block takes, and suppresses the chosen exceptions."""

    def __init__(self, clock=time.perf_counter, *, suppress=()):
        raise NotImplementedError("Timer.__init__")

    def __enter__(self):
        raise NotImplementedError("Timer.__enter__")

    def __exit__(self, exc_type, exc_value, traceback):
        raise NotImplementedError("Timer.__exit__")


@contextlib.contextmanager
def restoring(obj, name, value):
    """Set obj.name = value for the block, and restore it however the block ends."""
    raise NotImplementedError("restoring")
    yield


@contextlib.contextmanager
def suppressing(*exc_types):
    """Swallow exceptions of the given types (subclasses too) raised in the block."""
    raise NotImplementedError("suppressing")
    yield
