"""``pytest.mark``, ``pytest.param`` and the ids of parametrized tests, as pytest 9 makes them."""
import enum
import inspect
import re
from collections import Counter, defaultdict
from collections.abc import Collection as CollectionABC
import warnings
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from .outcomes import Failed
from .shim_extra import PytestRemovedIn10Warning


class Mark(NamedTuple):
    name: str
    args: tuple
    kwargs: dict


class MarkDecorator:
    """``pytest.mark.NAME``: decorates a function or class, or takes arguments."""

    def __init__(self, mark: Mark) -> None:
        self.mark = mark

    @property
    def name(self) -> str:
        return self.mark.name

    @property
    def args(self) -> tuple:
        return self.mark.args

    @property
    def kwargs(self) -> dict:
        return self.mark.kwargs

    def with_args(self, *args: Any, **kwargs: Any) -> "MarkDecorator":
        merged = dict(self.mark.kwargs)
        merged.update(kwargs)
        return MarkDecorator(Mark(self.mark.name, self.mark.args + args, merged))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args and not kwargs:
            func = args[0]
            if len(args) == 1 and (inspect.isclass(func) or (
                    callable(func) and getattr(func, "__name__", "<lambda>") != "<lambda>")):
                store_mark(func, self.mark)
                return func
        return self.with_args(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<MarkDecorator {self.mark!r}>"


def normalize_marks(value: Any) -> List[Mark]:
    """The Marks of a ``pytestmark`` value or a ``marks=`` argument (one or a list)."""
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    marks = []
    for item in items:
        item = getattr(item, "mark", item)
        if isinstance(item, Mark):
            marks.append(item)
        else:
            raise TypeError(f"got {item!r} instead of Mark")
    return marks


def own_marks(obj: Any) -> List[Mark]:
    """The marks stored on a function, or on a class and its bases (bases first, as pytest)."""
    if inspect.isclass(obj):
        marks: List[Mark] = []
        for klass in reversed(obj.__mro__):
            marks.extend(normalize_marks(klass.__dict__.get("pytestmark", [])))
        return marks
    return normalize_marks(getattr(obj, "pytestmark", []))


def store_mark(obj: Any, mark: Mark) -> None:
    if inspect.isclass(obj):
        current = normalize_marks(obj.__dict__.get("pytestmark", []))
    else:
        current = normalize_marks(getattr(obj, "pytestmark", []))
    obj.pytestmark = current + [mark]


class MarkGenerator:
    """``pytest.mark``: any attribute is a mark; the known ones change how a test runs."""

    def __getattr__(self, name: str) -> MarkDecorator:
        if name.startswith("_"):
            raise AttributeError(name)
        registered = REGISTRY.names
        if registered is not None and name not in registered and name not in BUILTIN_MARKS:
            raise Failed(f"{name!r} not found in `markers` configuration option",
                         pytrace=False)
        return MarkDecorator(Mark(name, (), {}))


class _Registry:
    """--strict-markers: the registered marker names (None: any name is a mark). An
    object's attribute, not a module-level container: conftest.py files add to it, and the
    guard (guard.py) watches the runner's module-level containers."""

    def __init__(self) -> None:
        self.names: Optional[set] = None


REGISTRY = _Registry()
BUILTIN_MARKS = frozenset({"skip", "skipif", "xfail", "parametrize", "usefixtures",
                           "filterwarnings", "tryfirst", "trylast"})


class _NotSet:
    def __repr__(self) -> str:
        return "NOTSET"


NOTSET = _NotSet()


class ParameterSet(NamedTuple):
    values: tuple
    marks: List[Mark]
    id: Optional[str]


def param(*values: Any, marks: Any = (), id: Optional[str] = None) -> ParameterSet:  # noqa: A002
    """``pytest.param(*values, marks=..., id=...)``."""
    if id is not None and not isinstance(id, str):
        raise TypeError(f"Expected id to be a string, got {type(id)}: {id!r}")
    return ParameterSet(tuple(values), normalize_marks(list(marks) if isinstance(
        marks, (list, tuple)) else marks), id)


# -- ids ---------------------------------------------------------------------------------

_NONPRINTABLE = {i: f"\\x{i:02x}" for i in range(128) if i not in range(32, 127)}
_NONPRINTABLE.update({ord("\t"): "\\t", ord("\r"): "\\r", ord("\n"): "\\n"})


def ascii_escaped(value: Any) -> str:
    if isinstance(value, bytes):
        text = value.decode("ascii", "backslashreplace")
    else:
        text = value.encode("unicode_escape").decode("ascii")
    return text.translate(_NONPRINTABLE)


def _id_from_value(value: Any) -> Optional[str]:
    if isinstance(value, (str, bytes)):
        return ascii_escaped(value)
    if value is None or isinstance(value, (float, int, bool, complex)):
        return str(value)
    if isinstance(value, re.Pattern):
        return ascii_escaped(value.pattern)
    if isinstance(value, enum.Enum):
        return str(value)
    name = getattr(value, "__name__", None)
    if isinstance(name, str):
        return name
    return None


def _auto_id(value: Any, argname: str, index: int, idfn: Any) -> str:
    if idfn is not None:
        try:
            made = idfn(value)
        except Exception as e:
            raise ValueError(f"error raised while trying to determine id of parameter "
                             f"'{argname}' at position {index}") from e
        if made is not None:
            found = _id_from_value(made)
            if found is not None:
                return found
    if isinstance(value, (str, bytes)):
        if len(value) <= 100:
            return ascii_escaped(value)
    else:
        found = _id_from_value(value)
        if found is not None:
            return found
    return f"{argname}{index}"


def make_ids(argnames: Sequence[str], sets: Sequence[ParameterSet], ids: Any) -> List[str]:
    """The id of each parameter set of one parametrize call, made unique as pytest does."""
    idfn = ids if callable(ids) else None
    idlist = None if callable(ids) or ids is None else list(ids)
    resolved = []
    for index, pset in enumerate(sets):
        if pset.id is not None:
            resolved.append(ascii_escaped(pset.id))
        elif idlist is not None and index < len(idlist) and idlist[index] is not None:
            found = _id_from_value(idlist[index])
            if found is None:
                raise Failed(f"ids contains unsupported value {idlist[index]!r} (type: "
                             f"{type(idlist[index])!r}) at index {index}.", pytrace=False)
            resolved.append(found)
        else:
            resolved.append("-".join(_auto_id(value, name, index, idfn)
                                     for value, name in zip(pset.values, argnames)))
    if len(set(resolved)) != len(resolved):
        counts = Counter(resolved)
        suffixes: Dict[str, int] = defaultdict(int)
        taken = set(resolved)
        for index, ident in enumerate(resolved):
            if counts[ident] > 1:
                sep = "_" if ident and ident[-1].isdigit() else ""
                new = f"{ident}{sep}{suffixes[ident]}"
                while new in taken:
                    suffixes[ident] += 1
                    new = f"{ident}{sep}{suffixes[ident]}"
                resolved[index] = new
                suffixes[ident] += 1
    return resolved


class Parametrization(NamedTuple):
    """One ``parametrize`` call (or a parametrized fixture), expanded."""

    argnames: Tuple[str, ...]
    sets: List[ParameterSet]
    ids: List[str]
    indirect: Tuple[str, ...]  # argnames whose values go to fixtures as request.param
    fixture: bool  # made from a fixture's params=


def parse_argnames(argnames: Any) -> Tuple[str, ...]:
    if isinstance(argnames, str):
        return tuple(name.strip() for name in argnames.split(",") if name.strip())
    return tuple(argnames)


def from_mark(mark: Mark, funcname: str) -> Parametrization:
    """Expand a ``parametrize`` mark: ``(argnames, argvalues, indirect=, ids=, scope=)``."""
    args = list(mark.args)
    kwargs = dict(mark.kwargs)
    argnames = args.pop(0) if args else kwargs.pop("argnames")
    argvalues = args.pop(0) if args else kwargs.pop("argvalues")
    indirect = args.pop(0) if args else kwargs.pop("indirect", False)
    ids = args.pop(0) if args else kwargs.pop("ids", None)
    if not isinstance(argvalues, CollectionABC):
        warnings.warn(PytestRemovedIn10Warning(
            "Passing a non-Collection iterable to parametrize is deprecated.\n"
            f"Test: {funcname}, argvalues type: {type(argvalues).__name__}\n"
            "Please convert to a list or tuple.\n"
            "See https://docs.pytest.org/en/stable/deprecations.html#parametrize-iterators"),
            stacklevel=2)
    names = parse_argnames(argnames)
    force_tuple = isinstance(argnames, str) and len(names) == 1
    sets = []
    for value in argvalues:
        if isinstance(value, ParameterSet):
            sets.append(value)
        elif force_tuple:
            sets.append(ParameterSet((value,), [], None))
        else:
            sets.append(ParameterSet(tuple(value), [], None))
    for pset in sets:
        if len(pset.values) != len(names):
            raise Failed(f"{funcname}: in \"parametrize\" the number of names ({len(names)}):\n"
                         f"  {list(names)}\nmust be equal to the number of values "
                         f"({len(pset.values)}):\n  {pset.values!r}", pytrace=False)
    if indirect is True:
        indirect_names: Tuple[str, ...] = names
    elif indirect:
        indirect_names = tuple(indirect)
    else:
        indirect_names = ()
    if not sets:
        reason = f"got empty parameter set for ({', '.join(names)})"
        empty = ParameterSet((NOTSET,) * len(names), [Mark("skip", (), {"reason": reason})],
                             "NOTSET")
        return Parametrization(names, [empty], ["NOTSET"], indirect_names, False)
    return Parametrization(names, sets, make_ids(names, sets, ids), indirect_names, False)


def as_param_sets(values: Iterable[Any]) -> List[ParameterSet]:
    return [v if isinstance(v, ParameterSet) else ParameterSet((v,), [], None) for v in values]
