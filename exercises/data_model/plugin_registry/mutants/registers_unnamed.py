# expect: 'TextPlugin' in Plugin.registry returned True, expected False
# why: falls back on the class name when no name is given, so abstract intermediate base classes end up in the registry.
"""Reference solution of the plugin_registry exercise: __init_subclass__ and an ABC."""
from abc import ABC, abstractmethod


class Plugin(ABC):
    """The base class of every plugin. Subclasses register themselves under a key:

        class Upper(Plugin, key="upper"):
            def run(self, text):
                return text.upper()
    """

    # One dict, defined once here and shared through inheritance: every subclass reads
    # (and fills) Plugin.registry. Dicts keep insertion order, so it is in definition order.
    registry = {}

    def __init_subclass__(cls, key=None, **kwargs):
        # Called by type.__new__ when a subclass's class statement runs, with the keyword
        # arguments of the class line. Pass the others on: another base class in the MRO
        # may have an __init_subclass__ of its own.
        super().__init_subclass__(**kwargs)
        if key is None:
            key = cls.__name__
        if key in Plugin.registry:
            raise ValueError(f"a plugin called {key!r} is already registered: "
                             f"{Plugin.registry[key].__qualname__}")
        Plugin.registry[key] = cls

    @abstractmethod
    def run(self, text):
        """Transform text; every concrete plugin must implement it."""


def create(key, *args, **kwargs):
    """An instance of the plugin registered as `key`, made with the given arguments."""
    try:
        plugin_class = Plugin.registry[key]
    except KeyError:
        raise KeyError(f"no plugin called {key!r}") from None
    return plugin_class(*args, **kwargs)  # TypeError here if the plugin is incomplete
