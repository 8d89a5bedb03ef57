# expect: expected nothing() called, call number 1 next, but got str(proxy) to return 'LazyProxy(<not loaded>)'
# why: relies on __getattr__ for len(), iter(), in, [] and str(); but Python looks special methods up on the class, never through __getattr__, so len(proxy) raises TypeError.
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
        if name.startswith("__") and name.endswith("__"):
            # copy, pickle and friends probe for __setstate__, __getnewargs_ex__, ...
            # Answer without building the target.
            raise AttributeError(name)
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

    def __repr__(self):
        # Never builds the target: debuggers and logs call repr() freely.
        target = object.__getattribute__(self, "_target")
        if target is _NOT_LOADED:
            return "LazyProxy(<not loaded>)"
        return f"LazyProxy({target!r})"
