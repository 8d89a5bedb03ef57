"""The collection tree of the built-in runner: session, modules, classes and test items.

A node owns the finalizers registered at its scope; ``SetupState`` keeps the chain of nodes
that are set up and tears down the ones the next item does not share, as pytest does.
"""
import os
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Dict, List, Optional, Tuple

from .guard import harness_import
from .marks import Mark, MarkDecorator, Parametrization


class Node:
    def __init__(self, name: str, parent: Optional["Node"]) -> None:
        self.name = name
        self.parent = parent
        self.finalizers: List[Callable[[], Any]] = []

    def chain(self) -> List["Node"]:
        nodes: List[Node] = []
        node: Optional[Node] = self
        while node is not None:
            nodes.append(node)
            node = node.parent
        nodes.reverse()
        return nodes

    def addfinalizer(self, fn: Callable[[], Any]) -> None:
        self.finalizers.append(fn)


class SessionNode(Node):
    def __init__(self, root: str) -> None:
        super().__init__("", None)
        self.root = root
        self.nodeid = ""


class ModuleNode(Node):
    def __init__(self, session: SessionNode, path: str, rel: str, module: ModuleType) -> None:
        super().__init__(os.path.basename(path), session)
        self.path = path
        self.rel = rel
        self.module = module
        self.nodeid = rel
        self.fixtures: Dict[str, Any] = {}  # name -> FixtureDef (module level + xunit)


class ClassNode(Node):
    def __init__(self, parent: Node, cls: type, nodeid: str) -> None:
        super().__init__(cls.__name__, parent)
        self.cls = cls
        self.nodeid = nodeid
        self.fixtures: Dict[str, Any] = {}

    @property
    def module_node(self) -> ModuleNode:
        node = self.parent
        while not isinstance(node, ModuleNode):
            node = node.parent  # type: ignore[union-attr]
        return node


class CallSpec:
    """The parameters of one parametrized item."""

    def __init__(self) -> None:
        self.params: Dict[str, Any] = {}     # direct: argname -> value
        self.indirect: Dict[str, Tuple[int, Any]] = {}  # fixture name -> (index, request.param)
        self.ids: List[str] = []
        self.marks: List[Mark] = []

    def extend(self, parametrization: Parametrization, index: int) -> "CallSpec":
        new = CallSpec()
        new.params = dict(self.params)
        new.indirect = dict(self.indirect)
        new.ids = self.ids + [parametrization.ids[index]]
        pset = parametrization.sets[index]
        new.marks = self.marks + list(pset.marks)
        for name, value in zip(parametrization.argnames, pset.values):
            if parametrization.fixture or name in parametrization.indirect:
                new.indirect[name] = (index, value)
            else:
                new.params[name] = value
        return new

    @property
    def id(self) -> str:
        return "-".join(self.ids)


class Item(Node):
    """One test: a function, a method of a test class, or a unittest test method."""

    def __init__(self, parent: Node, module_node: ModuleNode, name: str, funcname: str,
                 kind: str, func: Any, cls: Optional[type], callspec: Optional[CallSpec],
                 marks: List[Mark], line: int) -> None:
        super().__init__(name, parent)
        self.module_node = module_node
        self.originalname = funcname
        self.kind = kind  # "function" | "unittest"
        self.function = func
        self.cls = cls
        self.callspec = callspec
        self.own_markers: List[Mark] = list(marks)
        self.line = line
        prefix = parent.nodeid if not isinstance(parent, ModuleNode) else module_node.rel
        self.nodeid = f"{prefix}::{name}"
        self.fixturenames: List[str] = []
        self.argnames: List[str] = []
        self.fixture_defs: Dict[str, List[Any]] = {}
        self.instance: Any = None
        self.funcargs: Dict[str, Any] = {}
        self.subtests: List[Dict[str, Any]] = []
        self.xfail_mark: Optional[Mark] = None
        self.extra_marks: List[Mark] = []

    # pytest-like API used through request.node
    @property
    def module(self) -> ModuleType:
        return self.module_node.module

    @property
    def path(self) -> Path:
        return Path(self.module_node.path)

    @property
    def keywords(self) -> Dict[str, Any]:
        words: Dict[str, Any] = {self.name: True}
        for mark in self.iter_markers():
            words[mark.name] = mark
        return words

    def iter_markers(self, name: Optional[str] = None) -> List[Mark]:
        marks = self.extra_marks + self.own_markers
        return [m for m in marks if name is None or m.name == name]

    def get_closest_marker(self, name: str, default: Any = None) -> Any:
        for mark in self.iter_markers(name):
            return mark
        return default

    def add_marker(self, marker: Any, append: bool = True) -> None:
        mark = marker.mark if isinstance(marker, MarkDecorator) else marker
        if isinstance(mark, str):
            mark = Mark(mark, (), {})
        if append:
            self.extra_marks.append(mark)
        else:
            self.extra_marks.insert(0, mark)

    def scope_node(self, scope: str) -> Node:
        if scope == "function":
            return self
        if scope == "class":
            return self.parent if isinstance(self.parent, ClassNode) else self
        if scope == "module":
            return self.module_node
        return self.module_node.parent  # type: ignore[return-value]

    @property
    def rel(self) -> str:
        return self.module_node.rel

    @property
    def config(self) -> Any:
        return harness_import("pytest_config").current()

    @property
    def session(self) -> Any:
        return harness_import("hooks").Session(self.config, [])

    @property
    def fspath(self) -> Any:
        return harness_import("localpath").LocalPath(self.module_node.path)

    @property
    def obj(self) -> Any:
        return self.function

    @property
    def location(self) -> tuple:
        return (self.module_node.rel, self.line - 1 if self.line else None, self.short_name)

    def listextrakeywords(self) -> set:
        return set()

    @property
    def short_name(self) -> str:
        """The node id without its file part: ``TestAdd::test_add[2-3-5]``."""
        return self.nodeid.split("::", 1)[1]


class SetupState:
    """The nodes currently set up; tears down what the next item does not share."""

    def __init__(self) -> None:
        self.stack: List[Node] = []

    def prepare(self, item: Item) -> None:
        chain = item.chain()
        for node in chain[len(self.stack):]:
            self.stack.append(node)

    def teardown_exact(self, nextitem: Optional[Item]) -> List[BaseException]:
        """Run the finalizers of the nodes ``nextitem`` does not share; return the errors."""
        needed = nextitem.chain() if nextitem is not None else []
        errors: List[BaseException] = []
        while self.stack:
            if self.stack == needed[:len(self.stack)]:
                break
            node = self.stack.pop()
            while node.finalizers:
                fn = node.finalizers.pop()
                try:
                    fn()
                except BaseException as e:  # KeyboardInterrupt too: the code under test's
                    errors.append(e)
        return errors
