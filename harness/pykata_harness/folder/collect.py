"""Collection: import conftest.py files and test modules, make the test items.

Like pytest's defaults: module-level functions named ``test*``, classes named ``Test*``
without ``__init__``/``__new__`` and their ``test*`` methods (nested classes too; base
classes' tests first), every ``unittest.TestCase`` subclass with the methods unittest's
loader finds (sorted by name), parametrization by ``@pytest.mark.parametrize`` and
parametrized fixtures (fixture parameters first, then the marks closest to the function
first; the first one is the outer loop), ``__test__ = False`` respected. xunit-style
``setup_module``/``setup_function``/``setup_class``/``setup_method`` (and teardowns) run as
autouse fixtures, as in pytest.
"""
import importlib
import importlib.util
import inspect
import os
import sys
import types
import unittest
from typing import Any, Callable, Dict, List, Optional, Tuple

from . import discovery
from .config import Config, name_matches
from .fixtures import (FixtureDef, FixtureFunction, autouse_names, class_chain_defs, closure,
                       defs_in, mark_fixtures, visible_defs)
from .hooks import Conftest, Metafunc, call_hook, param_marks, runtest_fixture, unhandled
from .pytest_config import Parser
from .marks import Mark, Parametrization, from_mark, normalize_marks, own_marks
from .nodes import CallSpec, ClassNode, Item, ModuleNode, Node, SessionNode
from .outcomes import NeedsPytest
from .unittest_support import class_fixture

IGNORED = frozenset(dir(types.ModuleType("empty")) + ["__builtins__", "__file__", "__cached__"]
                    + dir(type("Empty", (), {})))


class CollectError(Exception):
    """A test module (or conftest.py) that cannot be collected."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ImportMismatch(Exception):
    pass


def import_path(path: str, unique: Any = None) -> types.ModuleType:
    """Import a test module or conftest.py the way pytest's "prepend" mode does, or, with
    ``unique`` (the rootdir and the rewriting finder: ``--import-mode=importlib``), under a
    name made of its path from the rootdir, without touching ``sys.path``."""
    if unique is not None:
        return _import_unique(path, *unique)
    base, name = discovery.module_name(path)
    if base not in sys.path:
        sys.path.insert(0, base)
    if os.path.basename(path) == "conftest.py" and discovery.package_path(path) is None:
        sys.modules.pop("conftest", None)
    importlib.import_module(name)
    module = sys.modules[name]
    file = getattr(module, "__file__", None)
    if file is None or not _same_file(file, path):
        raise ImportMismatch(
            f"import file mismatch:\nimported module {name!r} has this __file__ attribute:\n"
            f"  {file}\nwhich is not the same as the test file we want to collect:\n  {path}\n"
            "HINT: remove __pycache__ / .pyc files and/or use a unique basename for your "
            "test file modules")
    return module


def _import_unique(path: str, root: str, finder: Any) -> types.ModuleType:
    rel = os.path.splitext(os.path.relpath(path, root))[0].split(os.sep)
    if rel[-1] == "__init__":
        rel.pop()
    name = ".".join(part.replace(".", "_") for part in rel)
    if name in sys.modules and _same_file(getattr(sys.modules[name], "__file__", "") or "",
                                          path):
        return sys.modules[name]
    loader = finder.loader_for(name, path) if finder is not None else None
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _xunit(name: str, scope: str, setup: Any, teardown: Any, arg: Callable[[Any], Any],
           only_functions: bool = False) -> Optional[FixtureDef]:
    if setup is None and teardown is None:
        return None

    def call(fn: Any, target: Any) -> None:
        try:
            params = inspect.signature(fn).parameters
        except (TypeError, ValueError):
            params = {}
        if params:
            fn(target)
        else:
            fn()

    def xunit_fixture(request: Any) -> Any:
        if only_functions and request._item.cls is not None:
            yield
            return
        target = arg(request)
        if setup is not None:
            call(setup, target)
        yield
        if teardown is not None:
            call(teardown, target)

    return FixtureDef(name, xunit_fixture, scope, autouse=True)


def _non_fixture(holder: Any, names: Tuple[str, ...]) -> Any:
    for name in names:
        found = getattr(holder, name, None)
        if found is not None and not isinstance(found, FixtureFunction):
            return found
    return None


class Collector:
    def __init__(self, session: SessionNode, builtins: Dict[str, FixtureDef],
                 config: Config) -> None:
        self.session = session
        self.builtins = builtins
        self.config = config
        self.conftests: Dict[str, Dict[str, FixtureDef]] = {}  # folder -> its conftest's defs
        self.loaded: set = set()
        self.hooks: List[Conftest] = []  # the loaded conftests with their hooks, root first
        self.notices: List[str] = []
        self.pytest_config: Any = None  # pytest_config.Config
        self.unique_imports: Any = None  # (rootdir, finder) under --import-mode=importlib

    # -- conftest ----------------------------------------------------------------------
    def load_conftest(self, folder: str) -> bool:
        """Import ``folder``'s conftest.py (once) and register its fixtures; False when
        there was nothing to import."""
        real = os.path.realpath(folder)
        if real in self.loaded:
            return False
        self.loaded.add(real)
        path = os.path.join(folder, "conftest.py")
        if not os.path.isfile(path):
            return False
        module = import_path(path, self.unique_imports)
        conftest = Conftest(folder, module)
        defs = defs_in(module, False)
        plugins = module.__dict__.get("pytest_plugins") or []
        for name in ([plugins] if isinstance(plugins, str) else list(plugins)):
            try:
                plugin = importlib.import_module(name)
            except ImportError:
                raise NeedsPytest(f"the pytest plugin {name!r} (pytest_plugins)") from None
            for fixname, fdef in defs_in(plugin, False).items():
                defs.setdefault(fixname, fdef)
            for hook, fn in Conftest(folder, plugin).hooks.items():
                conftest.hooks.setdefault(hook, fn)
        config = self.pytest_config
        if config is not None:
            if "pytest_addoption" in conftest.hooks:
                call_hook(conftest.hooks["pytest_addoption"], parser=Parser(config),
                          pluginmanager=config.pluginmanager)
            if "pytest_configure" in conftest.hooks:
                call_hook(conftest.hooks["pytest_configure"], config=config)
        for name in unhandled(conftest):
            self.notices.append(f"the {name} hook ({discovery.relative(self.session.root, path)})")
        made = runtest_fixture(conftest)
        if made is not None:
            defs = dict([(made.name, made)] + list(defs.items()))
        self.hooks.append(conftest)
        self.conftests[os.path.realpath(folder)] = defs
        return True

    def conftest_chain(self, path: str) -> List[Dict[str, FixtureDef]]:
        """The conftest fixtures visible from a file, the root's first."""
        root = os.path.realpath(self.session.root)
        folder = os.path.realpath(os.path.dirname(path))
        chain = []
        while True:
            if folder in self.conftests:
                chain.append(self.conftests[folder])
            if folder == root or os.path.dirname(folder) == folder:
                break
            folder = os.path.dirname(folder)
        chain.reverse()
        return chain

    # -- modules -----------------------------------------------------------------------
    def collect_module(self, path: str, rel: str, module: types.ModuleType) -> List[Item]:
        if "pytest_plugins" in module.__dict__:
            self.notices.append(f"pytest_plugins in {rel} (only a conftest.py may load plugins)")
        node = ModuleNode(self.session, path, rel, module)
        fixtures: Dict[str, FixtureDef] = {}
        setup = _non_fixture(module, ("setUpModule", "setup_module"))
        teardown = _non_fixture(module, ("tearDownModule", "teardown_module"))
        made = _xunit(f"_xunit_setup_module_fixture_{module.__name__}", "module", setup,
                      teardown, lambda request: request.module)
        if made is not None:
            fixtures[made.name] = made
        setup = _non_fixture(module, ("setup_function",))
        teardown = _non_fixture(module, ("teardown_function",))
        made = _xunit(f"_xunit_setup_function_fixture_{module.__name__}", "function", setup,
                      teardown, lambda request: request.function, only_functions=True)
        if made is not None:
            fixtures[made.name] = made
        fixtures.update(defs_in(module, False))
        node.fixtures = fixtures
        if module.__dict__.get("__test__", True) is False:
            return []
        self._module_marks = normalize_marks(module.__dict__.get("pytestmark", []))
        conftests = self.conftest_chain(path)
        return self.collect_container(node, node, module, [module.__dict__], conftests)

    def collect_container(self, parent: Node, modnode: ModuleNode, holder: Any,
                          dicts: List[Dict[str, Any]],
                          conftests: List[Dict[str, FixtureDef]]) -> List[Item]:
        seen = set()
        per_dict: List[List[Item]] = []
        is_module = isinstance(parent, ModuleNode)
        for dic in dicts:
            values: List[Item] = []
            for name, obj in list(dic.items()):
                if name in IGNORED or name in seen:
                    continue
                seen.add(name)
                if is_module and not self.config.collect_imported_tests \
                        and (inspect.isfunction(obj) or inspect.isclass(obj)) \
                        and getattr(obj, "__module__", None) != holder.__name__:
                    continue
                values.extend(self.make_items(parent, modnode, name, obj, conftests, is_module))
            per_dict.append(values)
        result: List[Item] = []
        for values in reversed(per_dict):
            result.extend(values)
        return result

    def make_items(self, parent: Node, modnode: ModuleNode, name: str, obj: Any,
                   conftests: List[Dict[str, FixtureDef]], is_module: bool) -> List[Item]:
        if isinstance(obj, type):
            if is_testcase_class(obj):
                if inspect.isabstract(obj):
                    return []
                return self.collect_unittest(parent, modnode, name, obj, conftests)
            if not (name_matches(name, self.config.python_classes)
                    or _safe_getattr(obj, "__test__", False) is True):
                return []
            if inspect.isabstract(obj):
                return []
            return self.collect_class(parent, modnode, name, obj, conftests)
        if not (name_matches(name, self.config.python_functions)
                or _safe_getattr(obj, "__test__", False) is True):
            return []
        func = obj
        if isinstance(func, (staticmethod, classmethod)):
            func = func.__func__
        if not callable(func) or isinstance(func, FixtureFunction):
            return []
        func = getattr(func, "__func__", func)
        real = inspect.unwrap(func) if inspect.isfunction(func) else func
        if not (inspect.isfunction(func) or inspect.isfunction(real)):
            return []
        if not _safe_getattr(func, "__test__", True):
            return []
        if inspect.isgeneratorfunction(func):
            raise CollectError(f"'yield' keyword is allowed in fixtures, but not in tests "
                               f"({name})")
        return self.function_items(parent, modnode, name, obj, func, conftests)

    def collect_class(self, parent: Node, modnode: ModuleNode, name: str, cls: type,
                      conftests: List[Dict[str, FixtureDef]]) -> List[Item]:
        if not _safe_getattr(cls, "__test__", True):
            return []
        if cls.__init__ is not object.__init__ or cls.__new__ is not object.__new__:
            return []  # pytest: "cannot collect test class because it has a __init__"
        node = ClassNode(parent, cls, f"{_nodeid(parent)}::{name}")
        fixtures: Dict[str, FixtureDef] = {}
        setup = _non_fixture(cls, ("setup_class",))
        teardown = _non_fixture(cls, ("teardown_class",))
        made = _xunit(f"_xunit_setup_class_fixture_{cls.__qualname__}", "class",
                      setup, teardown, lambda request: cls)
        if made is not None:
            fixtures[made.name] = made
        setup_m = _non_fixture(cls, ("setup_method",))
        teardown_m = _non_fixture(cls, ("teardown_method",))
        if setup_m is not None or teardown_m is not None:
            fixtures[f"_xunit_setup_method_fixture_{cls.__qualname__}"] = _method_fixture(
                f"_xunit_setup_method_fixture_{cls.__qualname__}", setup_m is not None,
                teardown_m is not None)
        fixtures.update(defs_in(cls, True))
        node.fixtures = fixtures
        dicts = [cls.__dict__] + [base.__dict__ for base in cls.__mro__]
        return self.collect_container(node, modnode, cls, dicts, conftests)

    def collect_unittest(self, parent: Node, modnode: ModuleNode, name: str, cls: type,
                         conftests: List[Dict[str, FixtureDef]]) -> List[Item]:
        if not _safe_getattr(cls, "__test__", True):
            return []
        node = ClassNode(parent, cls, f"{_nodeid(parent)}::{name}")
        fixtures: Dict[str, FixtureDef] = {}
        made = class_fixture(cls)
        if made is not None:
            fixtures[made.name] = made
        fixtures.update(defs_in(cls, True))
        node.fixtures = fixtures
        names = unittest.TestLoader().getTestCaseNames(cls)
        items: List[Item] = []
        for method in names:
            func = getattr(cls, method)
            if not _safe_getattr(func, "__test__", True):
                continue
            items.append(self.make_item(node, modnode, method, method, "unittest", func, cls,
                                        None, conftests, []))
        if not items and getattr(cls, "runTest", None) is not None:
            items.append(self.make_item(node, modnode, "runTest", "runTest", "unittest",
                                        getattr(cls, "runTest"), cls, None, conftests, []))
        return items

    def item_marks(self, parent: Node, func: Any) -> List[Mark]:
        marks = own_marks(func)
        node: Optional[Node] = parent
        while isinstance(node, ClassNode):
            marks = marks + own_marks(node.cls)
            node = node.parent
        return marks + self._module_marks

    def function_items(self, parent: Node, modnode: ModuleNode, name: str, raw: Any,
                       func: Any, conftests: List[Dict[str, FixtureDef]]) -> List[Item]:
        cls = parent.cls if isinstance(parent, ClassNode) else None
        marks = self.item_marks(parent, func)
        class_defs = class_chain_defs(parent)
        defs = visible_defs(self.builtins, conftests, modnode.fixtures, class_defs)
        mark_params = [from_mark(m, name) for m in marks if m.name == "parametrize"]
        direct: List[str] = []
        indirect: List[str] = []
        for p in mark_params:
            for argname in p.argnames:
                (indirect if argname in p.indirect else direct).append(argname)
        argnames = _argnames(func, cls is not None and not isinstance(raw, staticmethod))
        initial = autouse_names(conftests, modnode.fixtures, class_defs) \
            + mark_fixtures(marks) + list(self.config.usefixtures) + argnames
        names = closure(initial, defs, direct)
        generators = self.generate_hooks(modnode, cls)
        if generators:
            metafunc = Metafunc(func, list(names), cls, modnode.module, self.pytest_config,
                                marks, name)
            made = [from_mark(m, name) for m in param_marks(generators, metafunc)]
            for p in made:
                for argname in p.argnames:
                    (indirect if argname in p.indirect else direct).append(argname)
            mark_params = made + mark_params
            names = closure(initial, defs, direct)
        for argname in direct:
            if argname not in names:
                raise CollectError(f"In {name}: function uses no argument '{argname}'")
        params: List[Parametrization] = []
        for fixname in names:
            if fixname in direct or fixname in indirect:
                continue
            chain = defs.get(fixname)
            if chain and chain[-1].params is not None:
                params.append(chain[-1].parametrization())
        params.extend(mark_params)
        specs = [CallSpec()]
        for p in params:
            specs = [spec.extend(p, i) for spec in specs for i in range(len(p.sets))]
        items = []
        for spec in specs:
            item_name = f"{name}[{spec.id}]" if spec.ids else name
            item = self.make_item(parent, modnode, item_name, name, "function", raw, cls,
                                  spec if spec.ids else None, conftests, marks, defs=defs)
            item.fixturenames = list(names)
            item.argnames = argnames
            items.append(item)
        return items

    def generate_hooks(self, modnode: ModuleNode, cls: Optional[type]
                       ) -> List[Tuple[str, Any]]:
        """The ``pytest_generate_tests`` hooks for a function: the class's, the module's,
        then the conftests' (closest first)."""
        found: List[Tuple[str, Any]] = []
        if cls is not None:
            hook = getattr(cls, "pytest_generate_tests", None)
            if callable(hook):
                found.append(("class", hook))
        hook = modnode.module.__dict__.get("pytest_generate_tests")
        if callable(hook):
            found.append(("module", hook))
        for conftest in reversed(self.hooks):
            if "pytest_generate_tests" in conftest.hooks and conftest.covers(
                    os.path.dirname(modnode.path)):
                found.append(("conftest", conftest.hooks["pytest_generate_tests"]))
        return found

    def make_item(self, parent: Node, modnode: ModuleNode, name: str, funcname: str, kind: str,
                  func: Any, cls: Optional[type], spec: Optional[CallSpec],
                  conftests: List[Dict[str, FixtureDef]], marks: List[Mark],
                  defs: Optional[Dict[str, List[FixtureDef]]] = None) -> Item:
        target = func.__func__ if isinstance(func, (staticmethod, classmethod)) else func
        if kind == "unittest":
            marks = self.item_marks(parent, target)
        all_marks = list(marks)
        if spec is not None:
            # pytest: the item's own marks, then the parameter set's, then the class's...
            own = own_marks(target)
            all_marks = own + list(spec.marks) + marks[len(own):]
        item = Item(parent, modnode, name, funcname, kind, func, cls, spec, all_marks,
                    _line(target))
        class_defs = class_chain_defs(parent)
        item.fixture_defs = defs if defs is not None else visible_defs(
            self.builtins, conftests, modnode.fixtures, class_defs)
        if kind == "unittest":
            initial = autouse_names(conftests, modnode.fixtures, class_defs) \
                + mark_fixtures(all_marks)
            item.fixturenames = closure(initial, item.fixture_defs, [])
        return item


def _method_fixture(name: str, has_setup: bool, has_teardown: bool) -> FixtureDef:
    def xunit_setup_method_fixture(request: Any) -> Any:
        instance = request._item.instance
        method = request._item.function
        if has_setup:
            fn = getattr(instance, "setup_method")
            _call_optional(fn, method)
        yield
        if has_teardown:
            fn = getattr(instance, "teardown_method")
            _call_optional(fn, method)
    return FixtureDef(name, xunit_setup_method_fixture, "function", autouse=True)


def _call_optional(fn: Any, arg: Any) -> None:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        params = {}
    if params:
        fn(arg)
    else:
        fn()


def _nodeid(node: Node) -> str:
    return getattr(node, "nodeid", "")


def is_testcase_class(obj: Any) -> bool:
    """A subclass of the real unittest.TestCase (whatever sys.modules now holds)."""
    try:
        return isinstance(obj, type) and issubclass(obj, unittest.TestCase)
    except Exception:
        return False


def _safe_getattr(obj: Any, name: str, default: Any) -> Any:
    try:
        return getattr(obj, name, default)
    except Exception:
        return default


def _argnames(func: Any, is_method: bool) -> List[str]:
    """The arguments a test function takes from fixtures or parameters (as pytest's
    getfuncargnames: no defaults, no ``self``, no arguments that ``mock.patch`` fills)."""
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return []
    names = [p.name for p in signature.parameters.values()
             if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.default is p.empty]
    if is_method and names:
        names = names[1:]
    if hasattr(func, "__wrapped__"):
        names = names[_mock_patch_args(func):]
    return names


def _mock_patch_args(func: Any) -> int:
    patchings = getattr(func, "patchings", None)
    if not patchings:
        return 0
    sentinels = [getattr(sys.modules.get(name), "DEFAULT", object())
                 for name in ("mock", "unittest.mock")]
    return len([p for p in patchings if not getattr(p, "attribute_name", None)
                and any(getattr(p, "new", None) is s for s in sentinels)])


def _line(func: Any) -> int:
    try:
        code = inspect.unwrap(func).__code__
        return code.co_firstlineno
    except Exception:
        return 0
