# expect: [name for name in Plugin.registry if name in ['upper']] returned [], expected ['upper']
# why: writes cls.registry = {...} on the new subclass, which shadows the shared dict, so Plugin.registry never sees the plugins.
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
            return  # an intermediate base class: not a plugin of its own
        if key in cls.registry:
            raise ValueError(f"a plugin called {key!r} is already registered: "
                             f"{cls.registry[key].__qualname__}")
        cls.registry = dict(cls.registry, **{key: cls})

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
