"""Keeping the built-in runner's world intact while the code it tests runs beside it.

A plain folder's tests import the code they test into the runner's own process, where that
code can reach everything the verdict depends on (docs/SECURITY.md, "Plain folders"). The
guard does what can be done from inside the process:

- ``install_hook`` adds an audit hook (PEP 578; once added it cannot be removed) that
  refuses to replace the code (``__code__``) or the defaults of the runner's and unittest's
  functions and of the collected tests and fixtures, to change the class of the runner's
  objects and modules, and to install a trace or profile function (one can jump over a
  failing ``assert``). Attempts on the runner's own things are noted as tampering.
- ``snapshot`` records, before any conftest.py or test file is imported, what the
  runner's verdicts depend on: the globals of the runner's modules and of ``unittest``'s,
  the methods, descriptors and nested classes (``failureException``) of their classes
  (``unittest.TestCase`` and its helpers included), the contents of the runner's
  module-level containers, the builtins (all but those tests commonly replace: ``print``,
  ``input``, ``open``, ...), the ``pytest`` stand-in module, the ``sys.modules`` entries of
  ``pytest`` and ``unittest``, pykata's import hooks, and the runner's own objects
  (reporter, channel, runner, ...). ``protect_items`` adds the collected tests (their
  functions, classes, marks, fixtures) and each test module's references to the runner.
- ``prepare`` takes the part of that record that is the same for every job (the builtins,
  ``unittest``'s and the harness's modules: almost all of it) once, in the embedded
  engine's zygote; a job's ``snapshot`` uses it only after checking that every namespace
  it walked still has exactly the keys and values it recorded (by identity), and records
  anew what does not. The subprocess engine records everything in each job.
- ``check`` compares the world with the snapshot, puts back whatever differs and notes it
  (in C, with ``map``, over a flat layout of the snapshot: ``_Flat``).
  The runner calls it after each conftest.py or test file is imported and after each test,
  right before that test's result is sent, with signals blocked and the garbage collector
  paused (``critical``) so that no code of the folder runs between the check and the send.
  ``sys.modules['pytest']`` replaced by something else also rebinds, in every test module,
  the names that refer to the impostor.
- ``notes``: once anything was noted, the runner fails closed (runner.py): no later result
  is sent as passed, skipped or expected-to-fail, and a last ``error`` test lists the notes.
- ``hide`` takes the harness's modules out of ``sys.modules`` (``harness_import`` brings
  one of its lazily imported modules in when needed).

What it cannot promise (docs/SECURITY.md): code that changes something and changes it back
before the next check, or that walks the runner's frames and edits its data (the guard's
included), or that uses ctypes to write memory, or a thread racing the runner, is not
caught. It raises the bar; the verdict of a plain folder still comes from its process.
"""
import _signal
import builtins
import gc
import importlib
import sys
import types
from bisect import bisect_right
from itertools import accumulate, chain, compress, count, repeat
from operator import attrgetter, is_not, ne
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

_MISSING = object()
_type_dict = type.__dict__["__dict__"].__get__
_type_mro = type.__dict__["__mro__"].__get__
_type_setattr = type.__setattr__
_type_delattr = type.__delattr__
_module_dict = types.ModuleType.__dict__["__dict__"].__get__
_cell_get = types.CellType.__dict__["cell_contents"].__get__  # type: ignore[attr-defined]
_cell_set = types.CellType.__dict__["cell_contents"].__set__  # type: ignore[attr-defined]
_object_dict = object.__getattribute__
_FunctionType = types.FunctionType
_ModuleType = types.ModuleType
_id = id
_gettrace = sys.gettrace
_getframe = sys._getframe


def _find_doctest() -> str:
    import importlib.util

    try:
        spec = importlib.util.find_spec("doctest")
    except Exception:
        return ""
    return spec.origin if spec is not None and spec.origin else ""


_DOCTEST_FILE = _find_doctest()  # the standard library's doctest.py


def _doctest_run(frame: Any) -> bool:
    """Is ``frame`` doctest's ``DocTestRunner.run`` (which sets the trace function it saved
    back, none while tests run; ``check`` notes any other)?"""
    try:
        code = frame.f_code
        return code.co_name == "run" and bool(_DOCTEST_FILE) \
            and code.co_filename == _DOCTEST_FILE
    except Exception:
        return False
_dict_get = dict.get
_dict_values = dict.values
# bound now: the code under test may replace module attributes later
_get_referents = gc.get_referents
_gc_isenabled, _gc_disable, _gc_enable = gc.isenabled, gc.disable, gc.enable
_addaudithook = sys.addaudithook
_import_module = importlib.import_module
_len = len
_tuple = tuple
_type = type
_isinstance = isinstance
_issubclass = issubclass
_any = any
_all = all
_frozenset = frozenset
_map = map
_chain = chain.from_iterable
_compress = compress
_count = count
_names_of = attrgetter("names")
_values_of = attrgetter("values")
_real_of = attrgetter("real")
_size_of = attrgetter("size")
_order_of = attrgetter("order")

# Values of these exact types are data (settings, caches, state): a class attribute holding
# one (``TestCase.maxDiff``, ``Note.text``) may change; everything else a guarded class
# holds (functions, descriptors, classes, other objects) may not.
_DATA = frozenset({int, float, complex, bool, str, bytes, type(None), list, dict, tuple, set,
                   frozenset})

# Builtins that tests commonly replace, for a test (monkeypatch, mock.patch) or for good at
# import (``builtins.input = fake_input``): never restored.
FREE_BUILTINS = frozenset({"print", "input", "open", "help", "exit", "quit", "copyright",
                           "credits", "license", "breakpoint", "_", "__doc__", "__name__",
                           "__spec__", "__loader__", "__package__", "__debug__"})
SYS_NAMES = ("modules", "meta_path", "path_hooks", "path_importer_cache", "exc_info",
             "audit", "addaudithook", "settrace", "setprofile")
UNITTEST_MODULES = ("unittest", "unittest.case", "unittest.result", "unittest.suite",
                    "unittest.loader", "unittest.util", "unittest.signals", "unittest.runner",
                    "unittest.main", "unittest._log")
HARNESS = "pykata_harness"

# How new keys of a watched namespace are judged.
NEW_IGNORED = 0     # anything may be added (builtins)
NEW_SHADOWING = 1   # module globals: a new global named like a builtin hides it
NEW_LISTED = 2      # objects, the runner's classes: only the listed new names may appear
NEW_DUNDER = 4      # unittest.TestCase and test classes: no new code named __x__ or hiding
                    # an inherited attribute (new helper methods may appear)

CLASS_ALL, CLASS_TESTCASE, CLASS_TEST = 0, 1, 2
# Keys Python itself may add to a class later (copy, typing.get_type_hints).
_NEW_CLASS_KEYS = ("__slotnames__", "__annotations__")

_HIDDEN: Dict[str, types.ModuleType] = {}
# "world": what ``prepare`` recorded (a _World), until a snapshot takes it
_PREPARED: Dict[str, Any] = {}


class TamperingRefused(TypeError, ValueError):
    """Raised where the code under test tried to change the runner (see the audit hook).

    A ``TypeError`` and a ``ValueError``, as when Python itself refuses such an assignment
    (a code object with other free variables, a ``__class__`` of another layout): code that
    handles those goes on, and the attempt stays noted."""


def _is_data(value: Any) -> bool:
    return _type(value) in _DATA


def _is_code(value: Any) -> bool:
    return _type(value) is _FunctionType or _isinstance(
        value, (staticmethod, classmethod, property, type, types.BuiltinFunctionType))


class _Namespace:
    """A watched dict (module globals, an object's ``__dict__``) or class.

    ``names``/``values``: what is watched and its value; ``known``: every key it had;
    ``policy``: how a new key is judged, with ``allowed`` the new names ``NEW_LISTED``
    accepts, or the inherited names a new key may not hide under ``NEW_DUNDER``;
    ``real``: the dict itself (a class's own dict, behind its read-only proxy), read by
    ``check``'s fast path; a class is always changed through ``type.__setattr__``;
    ``size`` and ``order``: how many keys it had, and which in what order, when its keys
    were last judged (the snapshot, or ``Guard._new_keys``)."""

    __slots__ = ("target", "is_class", "label", "names", "values", "known", "size", "policy",
                 "allowed", "real", "owner", "kind", "order")

    def __init__(self, target: Any, is_class: bool, label: str, names: Sequence[str],
                 values: Sequence[Any], known: Iterable[str], size: int, policy: int,
                 allowed: Iterable[str] = (), owner: Any = None, kind: int = -1) -> None:
        self.target = target
        self.is_class = is_class
        self.label = label
        self.names = _tuple(names)
        self.values = _tuple(values)
        self.known = frozenset(known)
        self.size = size
        self.policy = policy
        self.allowed = frozenset(allowed)
        self.owner = owner  # the object whose __dict__ this is (it may not get another)
        self.kind = kind  # a class's CLASS_* (how it was watched)
        self.real = _class_dict(target) if is_class else target
        self.order = _tuple(self.mapping())

    def mapping(self) -> Any:
        return _type_dict(self.target) if self.is_class else self.target


def _class_dict(cls: type) -> Any:
    """The dict behind ``cls.__dict__`` (for fast reads), or the proxy itself."""
    proxy = _type_dict(cls)
    for found in _get_referents(proxy):
        if _type(found) is dict and _len(found) == _len(proxy):
            return found
    return proxy


class _Container:
    """A module-level list, dict or set of the runner: its contents may not change."""

    __slots__ = ("target", "label", "items", "keys", "values", "ids")

    def __init__(self, target: Any, label: str) -> None:
        self.target = target
        self.label = label
        self.items = _tuple(target.items()) if _type(target) is dict else _tuple(target)
        self.keys = _tuple(target.keys()) if _type(target) is dict else ()
        self.values = _tuple(target.values()) if _type(target) is dict else ()
        self.ids = frozenset(_map(_id, target)) if _type(target) is set else frozenset()


class _Flat:
    """The snapshot laid out for ``Guard.check``'s fast path: a few passes over everything
    in C (``map``), no Python loop per entry: every watched entry looked up (``dicts``,
    ``keys``, ``values``), the sizes, and the keys in order where a key may not be swapped
    for another unwatched (``strict``: a namespace with unwatched keys and a policy for new
    ones). Namespaces and cells watched later are added at the end (``extend``)."""

    __slots__ = ("count", "cell_count", "dicts", "keys", "values", "maps", "plain", "owners",
                 "owned", "odd", "cells", "cell_values", "sizes", "strict", "strict_maps",
                 "strict_keys")

    def __init__(self) -> None:
        self.count = self.cell_count = 0
        self.dicts: List[Any] = []
        self.keys: List[Any] = []
        self.values: List[Any] = []
        self.maps: List[Any] = []
        self.plain: List[_Namespace] = []
        self.owners: List[Any] = []
        self.owned: List[Any] = []
        self.odd: List[_Namespace] = []  # read through their proxy (never in CPython)
        self.cells: List[Any] = []
        self.cell_values: List[Any] = []

    def extend(self, spaces: Sequence[_Namespace], cells: Sequence[Tuple[Any, Any, str]]
               ) -> None:
        new = spaces[self.count:]
        self.count = _len(spaces)
        plain = [space for space in new if _type(space.real) is dict]
        self.odd.extend(space for space in new if _type(space.real) is not dict)
        for space in new:
            if space.owner is not None:
                self.owners.append(space.owner)
                self.owned.append(space.target)
        names = _tuple(_map(_names_of, plain))
        maps = _tuple(_map(_real_of, plain))
        self.plain.extend(plain)
        self.maps.extend(maps)
        self.dicts.extend(_chain(_map(repeat, maps, _map(_len, names))))
        self.keys.extend(_chain(names))
        self.values.extend(_chain(_map(_values_of, plain)))
        for cell, value, _ in cells[self.cell_count:]:
            self.cells.append(cell)
            self.cell_values.append(value)
        self.cell_count = _len(cells)
        self.shape()

    def shape(self) -> None:
        """The sizes and the strict namespaces' keys, as last judged."""
        self.sizes = _tuple(_map(_size_of, self.plain))
        self.strict = _tuple(space for space in self.plain
                             if space.policy != NEW_IGNORED and _len(space.names) != space.size)
        self.strict_maps = _tuple(_map(_real_of, self.strict))
        self.strict_keys = _tuple(_chain(_map(_order_of, self.strict)))


class Guard:
    def __init__(self) -> None:
        self.notes: List[str] = []
        self.phase = "before the tests"
        self._spaces: List[_Namespace] = []
        self._containers: List[_Container] = []
        self._cells: List[Tuple[Any, Any, str]] = []
        self._closures: List[Tuple[Any, str]] = []  # every cell of a guarded function, empty too
        self._sys_modules: List[Tuple[str, Any]] = []
        self._finders: Tuple[Any, ...] = ()
        self._functions: Set[int] = set()   # ids of guarded functions (audit hook)
        self._objects: Set[int] = set()     # ids of guarded objects and modules (audit hook)
        self._keep: List[Any] = []          # keeps what the id sets refer to alive
        self._items: List[Tuple[Any, Tuple[str, ...], Tuple[Any, ...]]] = []
        self._item_index: Dict[int, int] = {}
        self._test_modules: List[Any] = []
        self._shim: Any = None
        self._shim_values: Dict[int, str] = {}
        self._unittest: Any = None
        self._seen_classes: Set[int] = set()
        self._class_state: frozenset = frozenset()
        self.modules = sys.modules   # the real sys.modules, whatever sys.modules becomes
        self._loaded: Tuple[List[Any], str, Any] = ([], "", None)
        self._adopted = 0
        self._flat: Optional[_Flat] = None
        self._container_flat: Optional[Tuple[Any, ...]] = None
        self._hooked = False
        self._harness_names: Optional[Tuple[str, ...]] = None

    # -- notes ---------------------------------------------------------------------------
    def note(self, what: str) -> None:
        self.notes.append(f"{what} ({self.phase})")

    # -- the snapshot --------------------------------------------------------------------
    def snapshot(self, shim: Any, shim_lazy: Iterable[str], unittest_module: Any,
                 objects: Sequence[Tuple[Any, str, Sequence[str]]],
                 finders: Sequence[Any], class_state: Iterable[Tuple[type, str]] = ()
                 ) -> None:
        """Record the world the runner relies on (call it before any folder code runs).

        ``shim``: the pytest stand-in, which may gain the attributes ``shim_lazy``;
        ``objects``: (object, label, names of its attributes that may change); ``finders``:
        pykata's import hooks, first in ``sys.meta_path``; ``class_state``: (class, name)
        of the runner's class attributes that change as it runs.

        The record of the builtins, ``unittest`` and the harness's own modules is the same
        for every job: when ``prepare`` took it in this process (the embedded engine's
        zygote, before it forked this job) and it still holds, it is taken from there."""
        self._class_state = frozenset(class_state)
        self._shim = shim
        self._unittest = unittest_module
        self._finders = _tuple(finders)
        world = _PREPARED.pop("world", None)  # once per process: a job's guard owns it
        if world is None or not self._take_world(world):
            self._record_world()
        # sys: its dict differs in every job (argv, streams); the watched names do not
        sdict = _module_dict(sys)
        names = [n for n in SYS_NAMES if n in sdict]
        self._spaces.insert(1, _Namespace(sdict, False, "sys", names, [sdict[n] for n in names],
                                          sdict, _len(sdict), NEW_IGNORED))
        self._objects.add(_id(sys))
        # the pytest stand-in
        sdict = _module_dict(shim)
        shim_names = [n for n in sdict]
        self._spaces.append(_Namespace(sdict, False, "pytest", shim_names,
                                       [sdict[n] for n in shim_names], shim_names,
                                       _len(sdict), NEW_LISTED, shim_lazy))
        self._objects.add(_id(shim))
        self._keep.append(shim)
        self._sys_modules.append(("pytest", shim))
        self._shim_values = {_id(v): n for n, v in sdict.items() if not n.startswith("__")}
        for obj, label, free in objects:
            self.watch_object(obj, label, free)
        self._flat = None
        self._container_flat = None

    def _record_world(self) -> None:
        """Record the builtins (first: the sys namespace goes second), ``unittest``'s
        modules and the harness's own: their globals, classes, functions, containers."""
        modules = self.modules
        # builtins: every name but the free ones, new names allowed
        bdict = builtins.__dict__
        names = [n for n in bdict if n not in FREE_BUILTINS]
        self._watch_dict(bdict, "builtins", names, NEW_IGNORED)
        self._objects.add(_id(builtins))
        self._keep.append(builtins)
        for name in UNITTEST_MODULES:
            module = modules.get(name)
            if module is not None:
                self._watch_module(name, module, containers=False, data=False)
                self._sys_modules.append((name, module))
        for name, module in _harness_modules(modules):
            # the guard's own state changes; config's sets are read before the snapshot
            self._watch_module(name, module, containers=name not in (
                __name__, f"{__package__}.config"))

    def _take_world(self, world: "_World") -> bool:
        """Take ``prepare``'s record if it still holds: the same ``unittest``, class state and
        modules, and every namespace it walked with the same keys and values (by identity).
        A class that changed since (``patch_unittest`` replaces methods of ``TestCase``) is
        recorded again; any other change, and the whole record is made anew (False).
        Whatever is read rather than walked (the cells' contents, the containers'
        contents) is read now."""
        modules = self.modules
        if world.unittest is not self._unittest or world.class_state != self._class_state \
                or _any(_map(is_not, _map(modules.get, UNITTEST_MODULES),
                             world.unittest_modules)):
            return False
        # A harness module imported since would be an attribute of its package, whose
        # namespace is recorded: only the recorded ones need looking up.
        if _any(_map(is_not, _map(modules.get, world.module_names), world.modules)):
            return False
        stale = world.stale()
        if stale is None:
            return False
        self._harness_names = world.module_names
        self._functions = world.functions
        self._objects = world.objects
        self._keep = world.keep
        self._seen_classes = world.seen
        self._sys_modules = list(world.sys_modules)
        self._containers = [_Container(target, label) for target, label in world.containers]
        self._closures = list(world.closures)
        for cell, label in world.closures:
            try:
                self._cells.append((cell, _cell_get(cell), label))
            except ValueError:
                pass  # an empty cell
        for index, space in enumerate(world.spaces):
            if index in stale:
                self._seen_classes.discard(_id(space.target))
                self._watch_class(space.target, space.label, space.kind)
            else:
                self._spaces.append(space)
        return True

    def watch_object(self, obj: Any, label: str, free: Sequence[str] = ()) -> None:
        """Watch an object of the runner: its attributes (but ``free``) and its class."""
        odict = _object_dict(obj, "__dict__")
        names = [n for n in odict if n not in free]
        self._spaces.append(_Namespace(odict, False, label, names, [odict[n] for n in names],
                                       odict, _len(odict), NEW_LISTED, free, owner=obj))
        self._objects.add(_id(obj))
        self._keep.append(obj)
        for value in odict.values():
            if _type(value) is _FunctionType or _type(value) is types.MethodType:
                self._watch_function(getattr(value, "__func__", value), f"{label}")

    def _watch_dict(self, mapping: Dict[str, Any], label: str, names: Sequence[str],
                    policy: int) -> None:
        self._spaces.append(_Namespace(mapping, False, label, names,
                                       [mapping[n] for n in names], mapping, _len(mapping),
                                       policy))

    def _watch_module(self, name: str, module: Any, containers: bool, data: bool = True
                      ) -> None:
        """``data``: watch its data globals too (unittest's, such as ``util._MAX_LENGTH``,
        only shape messages, and tests change them)."""
        mdict = _module_dict(module)
        names = [n for n, v in mdict.items() if data or not _is_data(v)]
        self._watch_dict(mdict, name, names, NEW_SHADOWING)
        self._objects.add(_id(module))
        self._keep.append(module)
        for key, value in list(mdict.items()):
            if _type(value) is _FunctionType and value.__module__ == name:
                self._watch_function(value, f"{name}.{key}")
            elif _isinstance(value, type) and _type_dict(value).get("__module__") == name:
                self._watch_class(value, f"{name}.{value.__qualname__}",
                                  CLASS_TESTCASE if value is self._unittest.TestCase
                                  else CLASS_ALL)
            elif containers and _type(value) in (list, dict, set) and not key.startswith("__"):
                self._containers.append(_Container(value, f"{name}.{key}"))

    def _watch_class(self, cls: type, label: str, what: int) -> None:
        """Watch a class: ``what`` is ``CLASS_ALL`` (the runner's and unittest's helpers:
        every attribute, settings such as approx's tolerances included, no new one),
        ``CLASS_TESTCASE`` (unittest.TestCase: all but its settings such as ``maxDiff``) or
        ``CLASS_TEST`` (a collected test class: its functions, descriptors and classes;
        new attributes may appear unless they hide an inherited one)."""
        if _id(cls) in self._seen_classes:
            return
        self._seen_classes.add(_id(cls))
        self._objects.add(_id(cls))
        self._keep.append(cls)
        proxy = _type_dict(cls)
        if what == CLASS_TEST:
            names = [n for n, v in proxy.items() if _is_code(v)]
        elif what == CLASS_TESTCASE:
            names = [n for n, v in proxy.items() if not _is_data(v)]
        else:
            names = [n for n in proxy if (cls, n) not in self._class_state]
        allowed: Set[str] = set(_NEW_CLASS_KEYS)
        if what == CLASS_ALL:
            policy = NEW_LISTED
        else:
            policy = NEW_DUNDER
            allowed = set()  # for NEW_DUNDER: the inherited names a new key may not hide
            for klass in _type_mro(cls)[1:]:
                allowed.update(n for n, v in _type_dict(klass).items() if not _is_data(v))
        self._spaces.append(_Namespace(cls, True, label, names, [proxy[n] for n in names],
                                       proxy, _len(proxy), policy, allowed, kind=what))
        for name in names:
            value = proxy[name]
            if _type(value) is _FunctionType:
                self._watch_function(value, f"{label}.{name}")
            elif _isinstance(value, (staticmethod, classmethod)):
                self._watch_function(value.__func__, f"{label}.{name}")
            elif _isinstance(value, property):
                for part in (value.fget, value.fset, value.fdel):
                    self._watch_function(part, f"{label}.{name}")
            elif _isinstance(value, type) and _type_dict(value).get("__module__") == \
                    proxy.get("__module__"):
                self._watch_class(value, f"{label}.{name}",
                                  CLASS_TEST if what == CLASS_TEST else CLASS_ALL)

    def _watch_function(self, func: Any, label: str) -> None:
        seen = 0
        while _type(func) is _FunctionType and seen < 8:
            if _id(func) in self._functions:
                return
            self._functions.add(_id(func))
            self._keep.append(func)
            for cell in func.__closure__ or ():
                self._closures.append((cell, label))
                try:
                    self._cells.append((cell, _cell_get(cell), label))
                except ValueError:
                    pass  # an empty cell
            func = func.__dict__.get("__wrapped__") if _isinstance(func.__dict__, dict) \
                else None
            seen += 1

    # -- the collected tests -------------------------------------------------------------
    ITEM_FIELDS = ("function", "cls", "kind", "originalname", "name", "nodeid", "callspec",
                   "parent", "module_node", "line", "fixture_defs")
    ITEM_LISTS = ("own_markers", "fixturenames", "argnames")

    def protect_items(self, items: Sequence[Any]) -> None:
        """Add the collected tests, their classes and their fixtures to what is watched."""
        fdefs: Dict[int, Any] = {}
        for item in items:
            idict = _object_dict(item, "__dict__")
            values = [idict.get(n, _MISSING) for n in self.ITEM_FIELDS] + \
                [_tuple(idict.get(n, ())) for n in self.ITEM_LISTS]
            self._item_index[_id(item)] = _len(self._items)
            self._items.append((item, self.ITEM_FIELDS + self.ITEM_LISTS, _tuple(values)))
            self._keep.append(item)
            func = idict.get("function")
            if _isinstance(func, (staticmethod, classmethod)):
                func = func.__func__
            self._watch_function(func, item.nodeid)
            cls = idict.get("cls")
            if _isinstance(cls, type):
                for klass in _type_mro(cls):
                    if klass is object or _id(klass) in self._seen_classes:
                        continue
                    self._watch_class(klass, f"{klass.__module__}.{klass.__qualname__}",
                                      CLASS_TEST)
            for chain in (idict.get("fixture_defs") or {}).values():
                for fdef in chain:
                    fdefs[_id(fdef)] = fdef
        for fdef in fdefs.values():
            self.watch_object(fdef, f"fixture {fdef.name!r}", ("cache",))
            self._watch_function(fdef.func, f"fixture {fdef.name!r}")

    def check_item(self, item: Any) -> None:
        """Put back what changed in a collected test since collection."""
        index = self._item_index.get(_id(item))
        if index is None:
            return
        _, names, values = self._items[index]
        idict = _object_dict(item, "__dict__")
        nfields = _len(self.ITEM_FIELDS)
        for i, name in enumerate(names):
            current = idict.get(name, _MISSING)
            if i >= nfields:
                if _type(current) is list and _len(current) == _len(values[i]) and \
                        not _any(_map(is_not, current, values[i])):
                    continue
                idict[name] = list(values[i])
            elif current is values[i]:
                continue
            else:
                idict[name] = values[i]
            self.note(f"the collected test {item.nodeid} was changed ({name})")

    # -- test modules --------------------------------------------------------------------
    def watch_test_module(self, module: Any, runtime_name: str, runtime: Any) -> None:
        """A test module or conftest.py (loaded by pykata, with ``runtime`` as its global
        ``runtime_name``): its references to the assert runtime, the pytest stand-in (and
        what it imported from it) and unittest may not change. A module it holds that calls
        itself pytest or unittest but is not the real one is an impostor: the names for it
        go back to the real one."""
        if _id(module) in self._objects:
            return
        mdict = _module_dict(module)
        names, values = [runtime_name], [runtime]
        for key, value in list(mdict.items()):
            if _type(key) is not str or key == runtime_name:
                continue
            if value is self._shim or value is self._unittest or \
                    (_id(value) in self._shim_values and not _is_data(value)):
                names.append(key)
                values.append(value)
            elif _issubclass(_type(value), _ModuleType):
                called = _module_dict(value).get("__name__")
                if called == "pytest":
                    self.note(f"{module.__name__} imported an impostor for pytest")
                    self._rebind_pytest(value, [module])
                    names.append(key)
                    values.append(self._shim)
                elif called == "unittest" and value is not self._unittest:
                    self.note(f"{module.__name__} imported an impostor for unittest")
                    mdict[key] = self._unittest
                    names.append(key)
                    values.append(self._unittest)
        self._spaces.append(_Namespace(mdict, False, f"the test module {module.__name__}",
                                       names, values, mdict, _len(mdict), NEW_SHADOWING))
        self._objects.add(_id(module))
        self._keep.append(module)
        self._test_modules.append(module)

    def _rebind_pytest(self, impostor: Any, modules: Optional[Sequence[Any]] = None) -> None:
        """Test modules imported while ``sys.modules['pytest']`` was an impostor: their
        names for it, and for what they imported from it, go back to the stand-in."""
        replace: Dict[int, Any] = {_id(impostor): self._shim}
        if _issubclass(_type(impostor), _ModuleType):
            shim_dict = _module_dict(self._shim)
            for name, value in list(_module_dict(impostor).items()):
                if _type(name) is str and name in shim_dict and not name.startswith("__") \
                        and not _is_data(value):
                    replace[_id(value)] = shim_dict[name]
        for module in (self._test_modules if modules is None else modules):
            mdict = _module_dict(module)
            for key, value in list(mdict.items()):
                if _id(value) in replace:
                    mdict[key] = replace[_id(value)]

    def watch_loaded(self, loaded: List[Any], runtime_name: str, runtime: Any) -> None:
        """``loaded``: the list the import hook appends every test module and conftest.py
        it loads to; ``check`` watches each new one."""
        self._loaded = (loaded, runtime_name, runtime)

    def _adopt(self) -> None:
        loaded, runtime_name, runtime = self._loaded
        while self._adopted < _len(loaded):
            module = loaded[self._adopted]
            self._adopted += 1
            self.watch_test_module(module, runtime_name, runtime)

    # -- checking ------------------------------------------------------------------------
    def check(self) -> bool:
        """Compare with the snapshot, put back what changed; True when anything was noted
        (now or before)."""
        self._adopt()
        if _gettrace() is not None:
            # only doctest's runner may call sys.settrace (the audit hook), to put back
            # what it found: a trace function now was put there some other way
            self.note("a trace function was installed (sys.settrace)")
        modules = self.modules
        for name, module in self._sys_modules:
            current = modules.get(name, _MISSING)
            if current is not module:
                modules[name] = module
                self.note(f"sys.modules[{name!r}] was replaced")
                if name == "pytest" and current is not _MISSING:
                    self._rebind_pytest(current)
        meta_path = sys.meta_path
        if self._finders and tuple(meta_path[:_len(self._finders)]) != self._finders:
            missing = [f for f in self._finders if not _any(x is f for x in meta_path)]
            meta_path[:] = list(self._finders) + [x for x in meta_path
                                                   if not _any(x is f for f in self._finders)]
            if missing:
                self.note("pykata's import hooks were removed from sys.meta_path")
        flat = self._flat
        if flat is None:
            self._flat = flat = _Flat()
        if flat.count != _len(self._spaces) or flat.cell_count != _len(self._cells):
            flat.extend(self._spaces, self._cells)
        if _any(_map(is_not, _map(_object_dict, flat.owners, repeat("__dict__")), flat.owned)) \
                or _any(_map(is_not, _map(_dict_get, flat.dicts, flat.keys, repeat(_MISSING)),
                             flat.values)) \
                or _any(_len(space.mapping()) != space.size or _any(_map(
                    is_not, _map(space.mapping().get, space.names, repeat(_MISSING)),
                    space.values)) for space in flat.odd):
            self._slow_spaces()
        else:
            now = _tuple(_map(_len, flat.maps))
            if now != flat.sizes:
                self._grown(now, flat)
            elif _any(_map(is_not, _chain(flat.strict_maps), flat.strict_keys)):
                self._slow_spaces()
        try:
            changed = _any(_map(is_not, _map(_cell_get, flat.cells), flat.cell_values))
        except ValueError:
            changed = True
        if changed:
            self._slow_cells()
        self._check_containers()
        return bool(self.notes)

    def _grown(self, now: Tuple[int, ...], flat: "_Flat") -> None:
        """Every watched entry is in place, but some namespaces have more (or fewer) keys:
        judge their new keys (a test module's new global, a test class's new attribute),
        unless a strict namespace's old keys are no longer its first ones, in their order
        (one was swapped for another): then look at everything."""
        if _any(_any(_map(is_not, space.real, space.order)) for space in flat.strict):
            self._slow_spaces()
            return
        for space in _compress(flat.plain, _map(ne, now, flat.sizes)):
            self._new_keys(space, space.mapping())
        flat.shape()

    def _slow_spaces(self) -> None:
        for space in self._spaces:
            if space.owner is not None:
                odict = _object_dict(space.owner, "__dict__")
                if odict is not space.target:
                    odict.clear()
                    odict.update(space.target)  # its old attributes, in the new dict
                    self.note(f"{space.label} got another __dict__")
                    space.target = space.real = odict
            mapping = space.mapping()
            current = _tuple(_map(mapping.get, space.names, repeat(_MISSING)))
            if _any(_map(is_not, current, space.values)):
                self._restore(space, mapping, current)
            if _len(mapping) != space.size or space.policy != NEW_IGNORED:
                self._new_keys(space, mapping)
        self._flat = None

    def _slow_cells(self) -> None:
        for cell, value, label in self._cells:
            try:
                same = _cell_get(cell) is value
            except ValueError:
                same = False
            if not same:
                _cell_set(cell, value)
                self.note(f"a variable of {label} was replaced")

    def _restore(self, space: _Namespace, mapping: Any, current: Tuple[Any, ...]) -> None:
        for name, now, value in zip(space.names, current, space.values):
            if now is value:
                continue
            if space.is_class:
                _type_setattr(space.target, name, value)
            else:
                mapping[name] = value
            what = "deleted" if now is _MISSING else "replaced"
            self.note(f"{space.label}.{name} was {what}")

    def _new_keys(self, space: _Namespace, mapping: Any) -> None:
        known = space.known
        added = [k for k in list(mapping) if _type(k) is not str or k not in known]
        accepted = []
        for key in added:
            value = mapping.get(key, None)
            if self._new_key_allowed(space, key, value):
                accepted.append(key)
                continue
            if space.is_class:
                _type_delattr(space.target, key)
            else:
                del mapping[key]
            self.note(f"{space.label}.{key} was added")
        if accepted:
            space.known = known | frozenset(accepted)
        space.size = _len(mapping)
        space.order = _tuple(mapping)

    @staticmethod
    def _new_key_allowed(space: _Namespace, key: Any, value: Any) -> bool:
        policy = space.policy
        if policy == NEW_IGNORED or _type(key) is not str:
            return policy == NEW_IGNORED  # a key that is not a str can pose as any name
        if policy == NEW_SHADOWING:
            return key not in builtins.__dict__ or key.startswith("__")
        if policy == NEW_LISTED:
            return key in space.allowed
        if _is_data(value):
            return True
        # NEW_DUNDER: no new special method, nothing hiding an inherited attribute
        return not (key.startswith("__") and key.endswith("__")) and key not in space.allowed

    def _check_containers(self) -> None:
        flat = self._container_flat
        if flat is None:
            containers = self._containers
            lists = [c for c in containers if _type(c.target) is list]
            dicts = [c for c in containers if _type(c.target) is dict]
            self._container_flat = flat = (
                _tuple(c.target for c in containers), _tuple(_len(c.items) for c in containers),
                _tuple(c.target for c in lists), _tuple(_chain(c.items for c in lists)),
                _tuple(c.target for c in dicts), _tuple(_chain(c.keys for c in dicts)),
                _tuple(_chain(c.values for c in dicts)),
                _tuple(c for c in containers if _type(c.target) is set))
        targets, sizes, lists, items, dicts, keys, values, sets = flat
        if _tuple(_map(_len, targets)) != sizes or \
                _any(_map(is_not, _chain(lists), items)) or \
                _any(_map(is_not, _chain(dicts), keys)) or \
                _any(_map(is_not, _chain(_map(_dict_values, dicts)), values)) or \
                _any(_frozenset(_map(_id, c.target)) != c.ids for c in sets):
            for container in self._containers:
                self._check_container(container)

    def _check_container(self, container: _Container) -> None:
        target, items = container.target, container.items
        kind = _type(target)
        if kind is dict:
            same = _len(target) == _len(items) and not _any(
                _map(is_not, target.keys(), container.keys)) and not _any(
                _map(is_not, target.values(), container.values))
        elif kind is list:
            same = _len(target) == _len(items) and not _any(_map(is_not, target, items))
        else:
            same = _len(target) == _len(items) and frozenset(_map(_id, target)) == container.ids
        if same:
            return
        target.clear()
        if kind is dict:
            target.update(items)
        elif kind is list:
            target.extend(items)
        else:
            target.update(items)
        self.note(f"the contents of {container.label} were changed")

    # -- the window between a check and a send -------------------------------------------
    def critical(self) -> "_Critical":
        """``with guard.critical():`` no signal handler and no garbage collection (so no
        ``__del__``, weakref or gc callback of the folder's code) runs inside."""
        return _Critical()

    # -- the audit hook ------------------------------------------------------------------
    def install_hook(self) -> None:
        """Refuse code swaps, the runner's functions' defaults and objects' classes, and
        trace/profile functions, from now on, for good."""
        if self._hooked:
            return
        self._hooked = True
        hook = _make_hook(self)
        self._functions.add(_id(hook))
        self._keep.append(hook)
        _addaudithook(hook)

    # -- sys.modules ---------------------------------------------------------------------
    def hide(self) -> None:
        """Take the harness's modules out of sys.modules (they stay alive here): the ones
        ``prepare`` found, when the snapshot took its record (it checked they are all
        there is), else every one."""
        modules = self.modules
        names = self._harness_names
        if names is None:
            names = [n for n in modules if n == HARNESS or n.startswith(HARNESS + ".")]
        for name in names:
            if name in modules:
                _HIDDEN[name] = modules.pop(name)


def _harness_modules(modules: Dict[str, Any]) -> List[Tuple[str, Any]]:
    """The harness's modules in ``modules``, by name."""
    prefix = HARNESS + "."
    return sorted((name, module) for name, module in list(modules.items())
                  if (name == HARNESS or (_type(name) is str and name.startswith(prefix)))
                  and module is not None)


class _World:
    """What ``Guard._record_world`` recorded, with what it depends on: every namespace it
    walked (all its keys and values, not only the watched ones, since which are watched
    and what is walked from there depend on them), the modules, the class state."""

    __slots__ = ("unittest", "class_state", "unittest_modules", "module_names", "modules",
                 "spaces", "maps",
                 "space_keys", "space_values", "sizes", "keys", "values", "ends",
                 "functions", "objects", "keep", "seen", "closures", "containers",
                 "sys_modules")

    def __init__(self, guard: "Guard") -> None:
        modules = guard.modules
        self.unittest = guard._unittest
        self.class_state = guard._class_state
        self.unittest_modules = _tuple(_map(modules.get, UNITTEST_MODULES))
        harness = _harness_modules(modules)
        self.module_names = _tuple(name for name, _ in harness)
        self.modules = _tuple(module for _, module in harness)
        self.spaces = _tuple(guard._spaces)
        self.maps = _tuple(_map(_real_of, self.spaces))
        self.space_keys = _tuple(_tuple(m) for m in self.maps)
        self.space_values = _tuple(_tuple(m.values()) for m in self.maps)
        self.sizes = _tuple(_map(_len, self.space_keys))
        self.keys = _tuple(_chain(self.space_keys))
        self.values = _tuple(_chain(self.space_values))
        self.ends = _tuple(accumulate(self.sizes))
        self.functions = guard._functions
        self.objects = guard._objects
        self.keep = guard._keep
        self.seen = guard._seen_classes
        self.closures = _tuple(guard._closures)
        self.containers = _tuple((c.target, c.label) for c in guard._containers)
        self.sys_modules = _tuple(guard._sys_modules)

    def stale(self) -> Optional[Set[int]]:
        """The indexes of the recorded classes whose namespace changed since, or None when
        anything else did."""
        maps = self.maps
        if _tuple(_map(_len, maps)) == self.sizes and \
                not _any(_map(is_not, _chain(maps), self.keys)):
            flags = _tuple(_map(is_not, _chain(_map(_dict_values, maps)), self.values))
            stale = {bisect_right(self.ends, at) for at in _compress(_count(), flags)}
        else:
            stale = {index for index, (mapping, keys, values) in enumerate(
                zip(maps, self.space_keys, self.space_values))
                if _len(mapping) != _len(keys) or _any(_map(is_not, mapping, keys))
                or _any(_map(is_not, _dict_values(mapping), values))}
        if _any(not self.spaces[index].is_class for index in stale):
            return None
        return stale


def prepare(unittest_module: Any, class_state: Iterable[Tuple[type, str]]) -> None:
    """Record once, ahead of every job, what ``Guard.snapshot`` records of the builtins,
    ``unittest`` and the harness's modules: the embedded engine's zygote calls this (through
    ``main.zygote_warmup``) once the harness is imported, and every job it forks inherits the
    record instead of walking them again. A job's snapshot takes it only where it still
    holds (``Guard._take_world``); no job's state is in it."""
    guard = Guard()
    guard._class_state = frozenset(class_state)
    guard._unittest = unittest_module
    guard._record_world()
    if _all(_type(m) is dict for m in _map(_real_of, guard._spaces)):
        _PREPARED["world"] = _World(guard)


try:  # the C functions: signal.pthread_sigmask makes an enum of every signal number
    _sigmask = _signal.pthread_sigmask
    _ALL_SIGNALS = frozenset(_signal.valid_signals())
except AttributeError:  # pragma: no cover (not on Linux)
    _sigmask = None
    _ALL_SIGNALS = frozenset()


class _Critical:
    __slots__ = ("mask", "gc")

    def __enter__(self) -> None:
        self.gc = _gc_isenabled()
        _gc_disable()
        self.mask = None
        if _sigmask is not None:
            try:
                self.mask = _sigmask(_signal.SIG_BLOCK, _ALL_SIGNALS)
            except (OSError, ValueError):
                pass

    def __exit__(self, *exc: Any) -> None:
        if self.mask is not None:
            _sigmask(_signal.SIG_SETMASK, self.mask)
        if self.gc:
            _gc_enable()


def _make_hook(guard: Guard) -> Callable[[str, Tuple[Any, ...]], None]:
    functions = guard._functions
    objects = guard._objects

    def refuse(what: str, noted: bool) -> None:
        if noted:
            guard.note(what)
        raise TamperingRefused(f"pykata refused: {what} is not allowed while tests run in "
                               "pykata's built-in runner")

    def describe(func: Any) -> str:
        try:
            name = _type_dict(_FunctionType)["__qualname__"].__get__(func)
            module = _type_dict(_FunctionType)["__module__"].__get__(func)
            return f"{module}.{name}"
        except Exception:
            return "a function"

    def pykata_audit_hook(event: str, args: Tuple[Any, ...],
                          _watched: frozenset = frozenset({
                              "object.__setattr__", "object.__delattr__", "sys.settrace",
                              "sys.setprofile", "sys.monitoring.register_callback"}),
                          _id: Callable[[Any], int] = _id, _type: Any = _type,
                          _functions: Set[int] = functions, _objects: Set[int] = objects,
                          _FunctionType: Any = _FunctionType) -> None:
        if event not in _watched:
            return
        if event == "object.__setattr__" or event == "object.__delattr__":
            obj, name = args[0], args[1]
            if _type(obj) is _FunctionType and _id(obj) in _functions:
                if name == "__code__":
                    refuse(f"replacing the code of {describe(obj)}", True)
                if name in ("__defaults__", "__kwdefaults__"):
                    refuse(f"changing the defaults of {describe(obj)}", True)
            elif name == "__class__" and _id(obj) in _objects:
                refuse(f"changing the class of {_type(obj).__qualname__} object", True)
            return
        if event == "sys.monitoring.register_callback" and args and args[-1] is None:
            return
        if event == "sys.settrace" and _doctest_run(_getframe(1)):
            return  # doctest's runner puts back the trace function it found (none)
        refuse(f"{event}()", False)

    return pykata_audit_hook


def harness_import(name: str) -> Any:
    """``pykata_harness.folder.NAME``, imported now if needed, even when hidden."""
    full = f"{__package__}.{name}"
    module = _HIDDEN.get(full) or sys.modules.get(full)
    if module is not None:
        return module
    if not _HIDDEN:
        return _import_module(full)
    modules = sys.modules
    modules.update(_HIDDEN)
    try:
        module = _import_module(full)
    finally:
        for key in [k for k in modules if k == HARNESS or k.startswith(HARNESS + ".")]:
            _HIDDEN[key] = modules.pop(key)
    return module
