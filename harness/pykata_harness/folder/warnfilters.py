"""The warning filters of a test, as pytest applies them: the ``filterwarnings`` setting,
then ``-W`` options, then the test's ``@pytest.mark.filterwarnings`` marks (the closest
last, so it wins). ``error`` turns a matching warning into an exception: the test fails."""
import builtins
import importlib
import re
import sys
import warnings
from typing import Any, Iterator, List, Optional, Tuple

from .outcomes import Failed

_ACTIONS = {"error", "ignore", "always", "all", "default", "module", "once"}


def _category(name: str) -> type:
    if not name:
        return Warning
    if "." not in name:
        found = getattr(builtins, name, None)
    else:
        module, attr = name.rsplit(".", 1)
        try:
            found = getattr(importlib.import_module(module), attr, None)
        except Exception as e:
            raise Failed(f"while parsing the warning filter category {name!r}: {e}",
                         pytrace=False) from None
    if not (isinstance(found, type) and issubclass(found, Warning)):
        raise Failed(f"{name!r} is not a Warning subclass (filterwarnings)", pytrace=False)
    return found


def parse(arg: str, escape: bool) -> Tuple[str, str, type, str, int]:
    """pytest's parse_warning_filter: ``action:message:category:module:lineno``."""
    parts = arg.split(":")
    if len(parts) > 5:
        raise Failed(f"too many fields (max 5) in filter {arg!r}", pytrace=False)
    while len(parts) < 5:
        parts.append("")
    action, message, category, module, lineno_text = (p.strip() for p in parts)
    if action == "all":
        action = "always"
    if action not in _ACTIONS - {"all"}:
        raise Failed(f"invalid action {action!r} in filter {arg!r}", pytrace=False)
    if message and escape:
        message = re.escape(message)
    if module and escape:
        module = re.escape(module) + r"\Z"
    lineno = int(lineno_text) if lineno_text else 0
    return action, message, _category(category), module, lineno


class Filters:
    """Enter with ``apply(item)``; the filters last for one test."""

    def __init__(self, ini: List[str], cmdline: List[str]) -> None:
        self.ini = ini
        self.cmdline = cmdline
        self._parsed: Optional[List[Tuple[str, str, type, str, int]]] = None

    def parsed(self) -> List[Tuple[str, str, type, str, int]]:
        if self._parsed is None:
            self._parsed = [parse(arg, False) for arg in self.ini] \
                + [parse(arg, True) for arg in self.cmdline]
        return self._parsed

    def apply(self, item: Any) -> Iterator[None]:
        with warnings.catch_warnings(record=True):
            if not sys.warnoptions:
                warnings.filterwarnings("always", category=DeprecationWarning)
                warnings.filterwarnings("always", category=PendingDeprecationWarning)
            for action, message, category, module, lineno in self.parsed():
                warnings.filterwarnings(action, message, category, module, lineno)  # type: ignore[arg-type]
            marks = item.iter_markers("filterwarnings") if item is not None else []
            for mark in reversed(list(marks)):
                for arg in mark.args:
                    try:
                        warnings.filterwarnings(*parse(arg, False))  # type: ignore[misc]
                    except Failed:
                        pass  # a filter pytest could not parse either: left out
            yield


def context(filters: Optional[Filters], item: Any) -> Any:
    import contextlib

    if filters is None:
        return contextlib.nullcontext()
    return contextlib.contextmanager(filters.apply)(item)


