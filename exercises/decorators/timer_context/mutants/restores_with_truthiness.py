# expect: settings.level after raised AttributeError: 'Settings' object has no attribute 'level', expected None
# why: tests `if old:` to decide whether the attribute existed, so an old value of None, 0 or '' is deleted instead of restored.
import contextlib
import time

_MISSING = object()  # "the attribute did not exist" (None could be a real value)


class Timer:
    """Measures how long its with-block takes, and suppresses the chosen exceptions."""

    def __init__(self, clock=time.perf_counter, *, suppress=()):
        self._clock = clock
        self._suppress = tuple(suppress)
        self.elapsed = None
        self.suppressed = None

    def __enter__(self):
        # Everything about one block is reset here, so a Timer can be used again.
        self.elapsed = None
        self.suppressed = None
        self._start = self._clock()
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        # Runs however the block ends: the time is recorded on an exception too.
        self.elapsed = self._clock() - self._start
        if exc_value is not None and isinstance(exc_value, self._suppress):
            self.suppressed = exc_value
            return True  # a true value tells Python the exception is handled
        return False  # anything else (or no exception) goes on as usual


@contextlib.contextmanager
def restoring(obj, name, value):
    """Set obj.name = value for the block; put back the old value (or delete the
    attribute if there was none) when the block ends, however it ends."""
    old = getattr(obj, name, _MISSING)
    setattr(obj, name, value)
    try:
        yield
    finally:
        # Without try/finally, an exception raised in the block is thrown in at the
        # yield and this restoring code would never run.
        if not old or old is _MISSING:
            delattr(obj, name)
        else:
            setattr(obj, name, old)


@contextlib.contextmanager
def suppressing(*exc_types):
    """Swallow exceptions of the given types (subclasses too) raised in the block."""
    try:
        yield
    except exc_types:  # a tuple, as in any except clause; () catches nothing
        pass
