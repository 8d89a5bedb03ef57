# expect: [name for name in Plugin.registry if name in ['upper']] returned [], expected ['upper']
# why: registers the class in __init__, so a plugin is only found after somebody has already instantiated it.
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
        cls._plugin_name = key

    def __init__(self, *args, **kwargs):
        name = type(self)._plugin_name
        if name is not None:
            Plugin.registry.setdefault(name, type(self))

    @abstractmethod
    def run(self, text):
        """Transform text; every concrete plugin must implement it."""


def create(key, *args, **kwargs):
    """An instance of the plugin registered as `key`, made with the given arguments."""
    for plugin_class in _all_subclasses(Plugin):
        if plugin_class.__dict__.get("_plugin_name") == key:
            return plugin_class(*args, **kwargs)
    raise KeyError(key)


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)  # TypeError here if the plugin is incomplete
