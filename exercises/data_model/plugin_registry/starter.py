"""A plugin registry: see README.md for the exact behaviour to implement."""
from abc import ABC, abstractmethod


class Plugin(ABC):
    """The base class of every plugin; subclasses register with `key="..."`."""

    registry = {}

    def __init_subclass__(cls, key=None, **kwargs):
        raise NotImplementedError("Plugin.__init_subclass__")

    def run(self, text):
        """Transform text; every concrete plugin must implement it (make it abstract)."""
        raise NotImplementedError("Plugin.run")


def create(key, *args, **kwargs):
    """An instance of the plugin registered as `key`, made with the given arguments."""
    raise NotImplementedError("create")
