# expect: expected hasattr(proxy, '__fspath__') to return False next, but got open_record() called, call number 1
# why: delegates every name, dunders included, so a mere probe such as hasattr(proxy, '__fspath__') (or copy looking for __setstate__) builds the target.
_NOT_LOADED = object()  # a sentinel: the target itself may be None, 0 or an empty list


class LazyProxy:
    """Calls `factory()` on first use and delegates attribute access to its result."""

    def __init__(self, factory):
        # object.__setattr__: our own __setattr__ forwards to the target, and the
        # target must not be built yet.
        object.__setattr__(self, "_factory", factory)
        object.__setattr__(self, "_target", _NOT_LOADED)

    def _load(self):
        """The target, built by the factory on the first call."""
        target = object.__getattribute__(self, "_target")
        if target is _NOT_LOADED:
            # If the factory raises, nothing is stored: the next use tries again.
            target = object.__getattribute__(self, "_factory")()
            object.__setattr__(self, "_target", target)
        return target

    def __getattr__(self, name):
        # Only called when normal lookup fails: our own attributes (_factory, _target,
        # _load, the methods below) never get here once __init__ has run.
        if name in ("_factory", "_target"):
            # Created by LazyProxy.__new__ without __init__ (as copy does): there is no
            # state yet. Without this test, self._target would call __getattr__ again,
            # forever (RecursionError).
            raise AttributeError(name)
        return getattr(self._load(), name)

    def __setattr__(self, name, value):
        setattr(self._load(), name, value)

    def __delattr__(self, name):
        delattr(self._load(), name)

    # Special methods are looked up on the type, never through __getattr__: each one
    # the proxy supports must be written out.
    def __len__(self):
        return len(self._load())

    def __iter__(self):
        return iter(self._load())

    def __contains__(self, item):
        return item in self._load()

    def __getitem__(self, key):
        return self._load()[key]

    def __str__(self):
        return str(self._load())

    def __repr__(self):
        # Never builds the target: debuggers and logs call repr() freely.
        target = object.__getattribute__(self, "_target")
        if target is _NOT_LOADED:
            return "LazyProxy(<not loaded>)"
        return f"LazyProxy({target!r})"
