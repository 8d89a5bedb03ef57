# expect: proxy.load() returned <Record object (not a builtin value the grader can compare)>, expected 'books.load() of the target'
# why: names its loading method load() instead of _load(): a public name of the proxy hides the target's attribute of the same name.
_NOT_LOADED = object()  # a sentinel: the target itself may be None, 0 or an empty list


class LazyProxy:
    """Calls `factory()` on first use and delegates attribute access to its result."""

    def __init__(self, factory):
        # object.__setattr__: our own __setattr__ forwards to the target, and the
        # target must not be built yet.
        object.__setattr__(self, "_factory", factory)
        object.__setattr__(self, "_target", _NOT_LOADED)

    def load(self):
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
        return getattr(self.load(), name)

    def __setattr__(self, name, value):
        setattr(self.load(), name, value)

    def __delattr__(self, name):
        delattr(self.load(), name)

    # Special methods are looked up on the type, never through __getattr__: each one
    # the proxy supports must be written out.
    def __len__(self):
        return len(self.load())

    def __iter__(self):
        return iter(self.load())

    def __contains__(self, item):
        return item in self.load()

    def __getitem__(self, key):
        return self.load()[key]

    def __str__(self):
        return str(self.load())

    def __repr__(self):
        # Never builds the target: debuggers and logs call repr() freely.
        target = object.__getattribute__(self, "_target")
        if target is _NOT_LOADED:
            return "LazyProxy(<not loaded>)"
        return f"LazyProxy({target!r})"
