"""Records with dataclasses: see README.md for the exact behaviour to implement."""
from dataclasses import dataclass, field, replace


class Version:
    """A frozen, ordered dataclass: major, minor=0, patch=0."""

    def __init__(self, major, minor=0, patch=0):
        raise NotImplementedError("make Version a frozen, ordered dataclass")

    def bump(self, part):
        raise NotImplementedError("Version.bump")


class Task:
    """A dataclass: title, priority=3, tags (a new list each time), done=False."""

    def __init__(self, title, priority=3, tags=None, done=False):
        raise NotImplementedError("make Task a dataclass")


class Bug(Task):
    """A dataclass extending Task: priority defaults to 1, and a new field severity=2."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError("make Bug a dataclass")
