"""pytest-style fixtures: the ``@pytest.fixture`` decorator, lookup, scopes and teardown.

A fixture is found by name from the requesting item outwards: its class (and outer classes),
its module, the conftest.py files of its folder and the folders above (up to the tested
folder), then the built-in fixtures. A fixture may request a fixture of its own name: that
is the next one outwards (pytest's overriding). Values are cached per scope node (the item,
its class, its module, the session); a parametrized fixture is set up again when the next
item needs another parameter. Teardown (finalizers, the code after ``yield``) runs when the
scope node is left, dependents before what they depend on.
"""
import inspect
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .marks import NOTSET, Mark, Parametrization, as_param_sets, make_ids
from .nodes import ClassNode, Item, Node
from .guard import harness_import
from .outcomes import Failed, NeedsPytest
from .report import plugins_installed

SCOPES = ("session", "package", "module", "class", "function")
SCOPE_RANK = {name: rank for rank, name in enumerate(SCOPES)}


class FixtureLookupError(Exception):
    """A test or fixture requested a fixture that does not exist (an error, as in pytest)."""


class FixtureSpec:
    def __init__(self, scope: str, params: Optional[Sequence[Any]], autouse: bool,
                 ids: Any, name: Optional[str]) -> None:
        self.scope = scope
        self.params = params
        self.autouse = autouse
        self.ids = ids
        self.name = name


class FixtureFunction:
    """What ``@pytest.fixture`` returns: the function with its fixture settings."""

    def __init__(self, func: Callable[..., Any], spec: FixtureSpec) -> None:
        self.func = func
        self.spec = spec
        self.name = spec.name or func.__name__
        self.__name__ = getattr(func, "__name__", self.name)
        self.__doc__ = getattr(func, "__doc__", None)
        self.__wrapped__ = func

    def __get__(self, instance: Any, owner: Any = None) -> "FixtureFunction":
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise Failed(f'Fixture "{self.name}" called directly. Fixtures are not meant to be '
                     "called directly,\nbut are created automatically when test functions "
                     "request them as parameters.", pytrace=False)

    def __repr__(self) -> str:
        return f"<pytest_fixture({self.func!r})>"


def fixture(fixture_function: Any = None, *args: Any, scope: Any = "function",
            params: Any = None, autouse: bool = False, ids: Any = None,
            name: Optional[str] = None) -> Any:
    """``pytest.fixture`` (bare or with arguments)."""
    if args:
        raise TypeError("fixture() takes 1 positional argument: use keyword arguments "
                        "(scope=, params=, autouse=, ids=, name=)")
    if callable(scope):
        raise NeedsPytest("dynamic fixture scope (scope=callable)")
    if scope not in SCOPES:
        raise Failed(f"fixture has an unknown scope {scope!r}", pytrace=False)
    spec = FixtureSpec(scope, list(params) if params is not None else None, autouse, ids,
                       name)

    def decorate(func: Callable[..., Any]) -> FixtureFunction:
        if isinstance(func, FixtureFunction):
            raise ValueError(f"@pytest.fixture is being applied more than once to the same "
                             f"function {func.name!r}")
        return FixtureFunction(func, spec)

    if fixture_function is not None and callable(fixture_function):
        return decorate(fixture_function)
    if fixture_function is not None:
        raise TypeError("fixture() takes keyword arguments (scope=, params=, ...)")
    return decorate


def _argnames(func: Callable[..., Any], is_method: bool) -> List[str]:
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return []
    names = [p.name for p in signature.parameters.values()
             if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.default is p.empty]
    if is_method and names:
        names = names[1:]
    return names


class FixtureDef:
    def __init__(self, name: str, func: Callable[..., Any], scope: str,
                 params: Optional[Sequence[Any]] = None, ids: Any = None,
                 autouse: bool = False, is_method: bool = False,
                 argnames: Optional[Sequence[str]] = None) -> None:
        self.name = name
        self.func = func
        self.scope = scope
        self.params = params
        self.ids = ids
        self.autouse = autouse
        self.is_method = is_method
        self.argnames = list(argnames) if argnames is not None else _argnames(func, is_method)
        self.cache: Dict[Node, "FixtureValue"] = {}

    @classmethod
    def from_function(cls, ff: FixtureFunction, is_method: bool = False,
                      argnames: Optional[Sequence[str]] = None) -> "FixtureDef":
        spec = ff.spec
        return cls(ff.name, ff.func, spec.scope, spec.params, spec.ids, spec.autouse,
                   is_method, argnames)

    def parametrization(self) -> Parametrization:
        sets = as_param_sets(self.params or [])
        return Parametrization((self.name,), sets, make_ids((self.name,), sets, self.ids),
                               (self.name,), True)


def defs_in(holder: Any, is_class: bool) -> Dict[str, FixtureDef]:
    """The fixtures a module or class defines (``dir()`` order, as pytest's parsing)."""
    found: Dict[str, FixtureDef] = {}
    static = _static_attributes(holder) if is_class else None
    for attr in dir(holder):
        try:
            if static is not None and attr in static:
                obj = static[attr]
            elif is_class:
                obj = inspect.getattr_static(holder, attr)
            else:
                obj = holder.__dict__.get(attr)
        except Exception:
            continue
        if isinstance(obj, (staticmethod, classmethod)):
            obj = obj.__func__
        if isinstance(obj, FixtureFunction):
            fdef = FixtureDef.from_function(obj, is_method=is_class)
            found[fdef.name] = fdef
    return found


def _static_attributes(cls: Any) -> Optional[Dict[str, Any]]:
    """What ``inspect.getattr_static(cls, name)`` returns for each name the classes of
    ``cls``'s MRO define, when none of them has a metaclass other than ``type``: then it
    is the value in the first of their own dicts that holds the name. None otherwise (an
    unittest.TestCase subclass has some 110 names, and getattr_static walks the MRO for
    each)."""
    try:
        mro = type.__dict__["__mro__"].__get__(cls)
    except TypeError:
        return None
    if any(type(entry) is not type for entry in mro):
        return None
    found: Dict[str, Any] = {}
    for entry in reversed(mro):
        found.update(type.__dict__["__dict__"].__get__(entry))
    return found


class FixtureValue:
    """One set-up fixture: its value (or the error its setup raised) and finalizers."""

    def __init__(self, fdef: FixtureDef, node: Node, param_key: Any) -> None:
        self.fdef = fdef
        self.node = node
        self.param_key = param_key
        self.value: Any = None
        self.error: Optional[BaseException] = None
        self.finalizers: List[Callable[[], Any]] = []
        self.finished = False

    def result(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.value

    def finish(self) -> None:
        if self.finished:
            return
        self.finished = True
        errors: List[BaseException] = []
        while self.finalizers:
            fn = self.finalizers.pop()
            try:
                fn()
            except BaseException as e:  # KeyboardInterrupt too: the code under test's
                errors.append(e)
        if self.fdef.cache.get(self.node) is self:
            del self.fdef.cache[self.node]
        if errors:
            raise errors[0]


def _teardown_generator(gen: Any, name: str) -> Callable[[], None]:
    def teardown() -> None:
        try:
            next(gen)
        except StopIteration:
            return
        raise Failed(f"fixture function {name!r} has more than one 'yield'", pytrace=False)
    return teardown


class FixtureRequest:
    """``request``: the requesting test (and fixture), its parameter, finalizers."""

    def __init__(self, engine: "FixtureEngine", item: Item, fdef: Optional[FixtureDef] = None,
                 index: int = 0, param: Any = NOTSET, param_index: int = 0,
                 value: Optional[FixtureValue] = None) -> None:
        self._engine = engine
        self._item = item
        self._fdef = fdef
        self._index = index
        self._param = param
        self.param_index = param_index
        self._value = value

    __class_getitem__ = classmethod(lambda cls, item: cls)

    @property
    def param(self) -> Any:
        if self._param is NOTSET:
            raise AttributeError("'SubRequest' object has no attribute 'param'")
        return self._param

    @property
    def fixturename(self) -> Optional[str]:
        return self._fdef.name if self._fdef is not None else None

    @property
    def scope(self) -> str:
        return self._fdef.scope if self._fdef is not None else "function"

    @property
    def node(self) -> Any:
        node = self._item.scope_node(self.scope)
        return node

    @property
    def function(self) -> Any:
        return self._item.function if self.scope == "function" else None

    @property
    def cls(self) -> Optional[type]:
        return self._item.cls

    @property
    def instance(self) -> Any:
        return self._item.instance if self.scope == "function" else None

    @property
    def module(self) -> Any:
        return self._item.module

    @property
    def path(self) -> Any:
        return self._item.path

    @property
    def keywords(self) -> Dict[str, Any]:
        return self._item.keywords

    @property
    def fixturenames(self) -> List[str]:
        return list(self._item.fixturenames)

    @property
    def config(self) -> Any:
        return harness_import("pytest_config").current()

    @property
    def session(self) -> Any:
        return harness_import("hooks").Session(self.config, [])

    @property
    def fspath(self) -> Any:
        return harness_import("localpath").LocalPath(self._item.path)

    @property
    def own_markers(self) -> List[Any]:
        return list(self._item.iter_markers())

    def addfinalizer(self, finalizer: Callable[[], Any]) -> None:
        if self._value is not None:
            self._value.finalizers.append(finalizer)
        else:
            self._item.addfinalizer(finalizer)

    def applymarker(self, marker: Any) -> None:
        self._item.add_marker(marker)

    def getfixturevalue(self, argname: str) -> Any:
        requester = (self._fdef, self._index) if self._fdef is not None else None
        value, _ = self._engine.get(self._item, argname, requester, self.scope)
        return value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise NeedsPytest(f"request.{name}")

    def __repr__(self) -> str:
        return f"<SubRequest {self.fixturename!r} for {self._item!r}>"


class FixtureEngine:
    """Resolves and sets up fixtures for items."""

    def __init__(self, builtins: Dict[str, FixtureDef]) -> None:
        self.builtins = builtins
        self.plugins_installed: Optional[bool] = None

    def get(self, item: Item, name: str, requester: Optional[Tuple[FixtureDef, int]],
            requester_scope: str) -> Tuple[Any, Optional[FixtureValue]]:
        if name == "request":
            if requester is None:
                return FixtureRequest(self, item), None
            fdef, index = requester
            return FixtureRequest(self, item, fdef, index), None
        if item.callspec is not None and name in item.callspec.params and (
                requester is None or requester[0].name != name):
            # a direct parametrization: the value, for the test and its fixtures alike
            return item.callspec.params[name], None
        defs = item.fixture_defs.get(name) or []
        index = len(defs) - 1
        if requester is not None and requester[0].name == name:
            index = requester[1] - 1
        if index < 0:
            if self.plugins_installed is None:
                self.plugins_installed = plugins_installed()
            if self.plugins_installed:
                raise NeedsPytest(f"the {name} fixture (pytest plugins are installed: one "
                                  "may provide it)")
            raise FixtureLookupError(self.lookup_message(item, name))
        fdef = defs[index]
        if SCOPE_RANK[fdef.scope] > SCOPE_RANK[requester_scope]:
            raise Failed(f"ScopeMismatch: You tried to access the {fdef.scope} scoped fixture "
                         f"{name} with a {requester_scope} scoped request object.",
                         pytrace=False)
        param, param_index, param_key = NOTSET, 0, None
        if item.callspec is not None and name in item.callspec.indirect:
            param_index, param = item.callspec.indirect[name]
            param_key = (param_index,)
        node = item.scope_node(fdef.scope)
        held = fdef.cache.get(node)
        if held is not None and held.param_key != param_key:
            held.finish()
            held = None
        if held is not None:
            return held.result(), held
        return self._setup(item, fdef, index, node, param, param_index, param_key)

    def _setup(self, item: Item, fdef: FixtureDef, index: int, node: Node, param: Any,
               param_index: int, param_key: Any) -> Tuple[Any, FixtureValue]:
        held = FixtureValue(fdef, node, param_key)
        fdef.cache[node] = held
        request = FixtureRequest(self, item, fdef, index, param, param_index, held)
        try:
            kwargs: Dict[str, Any] = {}
            for arg in fdef.argnames:
                if arg == "request":
                    kwargs[arg] = request
                    continue
                value, dep = self.get(item, arg, (fdef, index), fdef.scope)
                if dep is not None:
                    dep.finalizers.append(held.finish)
                kwargs[arg] = value
        except BaseException:
            if fdef.cache.get(node) is held:
                del fdef.cache[node]
            raise
        node.addfinalizer(held.finish)
        func = fdef.func
        if fdef.is_method:
            instance = item.instance
            if instance is None and item.cls is not None:
                instance = item.cls.__new__(item.cls)
            func = func.__get__(instance, type(instance)) if instance is not None else func
        try:
            if inspect.iscoroutinefunction(fdef.func) or inspect.isasyncgenfunction(fdef.func):
                raise NeedsPytest(f"async fixture {fdef.name!r}")
            if inspect.isgeneratorfunction(fdef.func):
                gen = func(**kwargs)
                try:
                    value = next(gen)
                except StopIteration:
                    raise ValueError(f"{fdef.name} did not yield a value") from None
                held.finalizers.append(_teardown_generator(gen, fdef.name))
            else:
                value = func(**kwargs)
        except NeedsPytest:
            raise
        except BaseException as e:
            held.error = e
            raise
        held.value = value
        return value, held

    def lookup_message(self, item: Item, name: str) -> str:
        available = sorted(set(item.fixture_defs) | set(self.builtins) | {"request"})
        return (f"fixture '{name}' not found\n> available fixtures: {', '.join(available)}\n"
                "> use 'pytest --fixtures [testpath]' for help on them.")


def visible_defs(builtins: Dict[str, FixtureDef], conftests: List[Dict[str, FixtureDef]],
                 module_defs: Dict[str, FixtureDef],
                 class_defs: List[Dict[str, FixtureDef]]) -> Dict[str, List[FixtureDef]]:
    """name -> fixture definitions visible to an item, the most general first."""
    result: Dict[str, List[FixtureDef]] = {}
    for level in [builtins] + conftests + [module_defs] + class_defs:
        for name, fdef in level.items():
            result.setdefault(name, []).append(fdef)
    return result


def autouse_names(conftests: List[Dict[str, FixtureDef]], module_defs: Dict[str, FixtureDef],
                  class_defs: List[Dict[str, FixtureDef]]) -> List[str]:
    names: List[str] = []
    for level in conftests + [module_defs] + class_defs:
        for name, fdef in level.items():
            if fdef.autouse and name not in names:
                names.append(name)
    return names


def closure(initial: List[str], defs: Dict[str, List[FixtureDef]],
            direct: Sequence[str]) -> List[str]:
    """The fixtures an item needs, in pytest's order (sorted by scope, widest first)."""
    names: List[str] = []
    for name in initial:
        if name not in names:
            names.append(name)
    i = 0
    while i < len(names):
        name = names[i]
        i += 1
        if name in direct:
            continue
        for fdef in defs.get(name, []):
            for arg in fdef.argnames:
                if arg not in names:
                    names.append(arg)

    def rank(name: str) -> int:
        if name in direct or name not in defs:
            return SCOPE_RANK["function"]
        return SCOPE_RANK[defs[name][-1].scope]
    return sorted(names, key=rank)


def mark_fixtures(marks: List[Mark]) -> List[str]:
    """Names given by ``@pytest.mark.usefixtures(...)`` marks."""
    names: List[str] = []
    for mark in marks:
        if mark.name == "usefixtures":
            for arg in mark.args:
                if isinstance(arg, str) and arg not in names:
                    names.append(arg)
    return names


def class_chain_defs(item_parent: Node) -> List[Dict[str, FixtureDef]]:
    chain: List[Dict[str, FixtureDef]] = []
    node: Optional[Node] = item_parent
    while isinstance(node, ClassNode):
        chain.append(node.fixtures)
        node = node.parent
    chain.reverse()
    return chain
