"""``repr`` that survives hostile or huge objects: it never raises and never gets long."""
import reprlib
from typing import Any

SHORT = 240
LONG = 16 * 1024


class _Repr(reprlib.Repr):
    def __init__(self, size: int, items: int, level: int) -> None:
        super().__init__()
        self.size = size
        self.maxstring = size
        self.maxother = size
        self.maxlong = size
        self.maxlevel = level
        self.maxlist = self.maxtuple = self.maxset = self.maxfrozenset = items
        self.maxdeque = self.maxarray = items
        self.maxdict = max(items // 2, 4)

    def repr_instance(self, x: Any, level: int) -> str:  # noqa: ARG002 (reprlib's signature)
        return _plain(x)

    def repr_str(self, x: str, level: int) -> str:  # noqa: ARG002
        return _cut(repr(x[: self.size + 2]) if len(x) > self.size else repr(x), self.size)


def _plain(x: Any) -> str:
    try:
        text = repr(x)
        if type(text) is not str:
            raise TypeError("__repr__ returned a non-string")
        return text
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:
        try:
            name = type(e).__name__
        except BaseException:
            name = "?"
        return f"<[{name} raised in repr()] {type(x).__name__} object at {id(x):#x}>"


def _cut(text: str, size: int) -> str:
    if len(text) <= size:
        return text
    half = max(0, (size - 3) // 2)
    return text[:half] + "..." + text[len(text) - half:]


_short = _Repr(SHORT, 6, 6)
_long = _Repr(LONG, 2000, 40)


def saferepr(x: Any) -> str:
    """A short repr (at most 240 characters, long containers elided as pytest does)."""
    try:
        return _cut(_short.repr(x), SHORT)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:
        return _plain(x)[:SHORT]


def longrepr(x: Any) -> str:
    """A full repr for a diff, capped at 16 KiB."""
    try:
        return _cut(_long.repr(x), LONG)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:
        return _cut(_plain(x), LONG)
