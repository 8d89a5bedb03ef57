"""Assertion rewriting, as pytest does it, for test modules and conftest.py files.

``assert add(2, 2) == 5`` becomes statements that evaluate every sub-expression once, in
Python's order and with Python's short-circuiting, into temporaries (``@pk1``, ... names no
source code can spell), then ``if not <result>: raise @pykata_ar.failure(<tree>, ...)`` and
finally ``del`` of the temporaries. ``==`` and ``!=`` go through ``strict_eq``/``strict_ne``
(strict.py); every other operator is Python's own. Line numbers are the assert's, so
tracebacks point at the learner's line. A module whose docstring contains
``PYTEST_DONT_REWRITE`` is left alone, as with pytest.

``RewriteFinder`` is the import hook: it hands a rewritten code object for every module
under the tested folder whose file name is ``conftest.py`` or a test file name; its loader
puts the run-time support (assertrt.py) in the module as the global ``@pykata_ar``.
"""
import ast
import fnmatch
import importlib.abc
import importlib.machinery
import io
import os
import re
import sys
from types import ModuleType
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import assertrt

RUNTIME = "@pykata_ar"

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
           ast.Mod: "%", ast.Pow: "**", ast.LShift: "<<", ast.RShift: ">>", ast.BitOr: "|",
           ast.BitXor: "^", ast.BitAnd: "&", ast.MatMult: "@"}
_UNARY = {ast.Not: "not ", ast.Invert: "~", ast.USub: "-", ast.UAdd: "+"}
_CMPOPS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
           ast.GtE: ">=", ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}


def _const(value: object) -> ast.expr:
    return ast.Constant(value=value)


def _rt(attr: str) -> ast.expr:
    return ast.Attribute(value=ast.Name(id=RUNTIME, ctx=ast.Load()), attr=attr, ctx=ast.Load())


def _load(name: str) -> ast.expr:
    return ast.Name(id=name, ctx=ast.Load())


def _tuple(items: Sequence[ast.expr]) -> ast.expr:
    return ast.Tuple(elts=list(items), ctx=ast.Load())


class _AssertRewriter:
    def __init__(self) -> None:
        self.counter = 0
        self.temps: List[str] = []
        self.block: List[ast.stmt] = []

    def temp(self) -> str:
        self.counter += 1
        name = f"@pk{self.counter}"
        self.temps.append(name)
        return name

    def assign(self, value: ast.expr) -> ast.expr:
        name = self.temp()
        self.block.append(ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())], value=value))
        return _load(name)

    def rewrite(self, node: ast.Assert) -> List[ast.stmt]:
        self.temps, outer = [], []
        self.block = outer
        value, tree = self.visit(node.test)
        message = node.msg if node.msg is not None else _const(None)
        fail = ast.Raise(exc=ast.Call(func=_rt("failure"),
                                      args=[tree, _const(node.msg is not None), message],
                                      keywords=[]), cause=None)
        outer.append(ast.If(test=ast.UnaryOp(op=ast.Not(), operand=value), body=[fail],
                            orelse=[]))
        init = ast.Assign(targets=[ast.Name(id=t, ctx=ast.Store()) for t in self.temps],
                          value=_rt("NOTSET"))
        done = ast.Delete(targets=[ast.Name(id=t, ctx=ast.Del()) for t in self.temps])
        return [ast.fix_missing_locations(_relocate(stmt, node))
                for stmt in [init] + outer + [done]]

    # Each visit returns (expression holding the value, expression building the tree).
    def visit(self, node: ast.expr) -> Tuple[ast.expr, ast.expr]:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            value = self.assign(node)
            return value, _tuple([_const("val"), value])
        return method(node)

    def visit_Name(self, node: ast.Name) -> Tuple[ast.expr, ast.expr]:
        value = self.assign(node)
        return value, _tuple([_const("name"), value, _const(node.id)])

    def visit_Attribute(self, node: ast.Attribute) -> Tuple[ast.expr, ast.expr]:
        if not isinstance(node.ctx, ast.Load):
            value = self.assign(node)
            return value, _tuple([_const("val"), value])
        base, base_tree = self.visit(node.value)
        value = self.assign(ast.Attribute(value=base, attr=node.attr, ctx=ast.Load()))
        return value, _tuple([_const("attr"), value, base_tree, _const(node.attr)])

    def visit_Call(self, node: ast.Call) -> Tuple[ast.expr, ast.expr]:
        func, func_tree = self.visit(node.func)
        args, arg_trees = [], []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                inner, inner_tree = self.visit(arg.value)
                args.append(ast.Starred(value=inner, ctx=ast.Load()))
                arg_trees.append(_tuple([_const("star"), inner, inner_tree]))
            else:
                inner, inner_tree = self.visit(arg)
                args.append(inner)
                arg_trees.append(inner_tree)
        keywords, kw_trees = [], []
        for kw in node.keywords:
            inner, inner_tree = self.visit(kw.value)
            keywords.append(ast.keyword(arg=kw.arg, value=inner))
            if kw.arg is None:
                inner_tree = _tuple([_const("dstar"), inner, inner_tree])
            kw_trees.append(_tuple([_const(kw.arg), inner_tree]))
        value = self.assign(ast.Call(func=func, args=args, keywords=keywords))
        return value, _tuple([_const("call"), value, func_tree, _tuple(arg_trees),
                              _tuple(kw_trees)])

    def visit_BinOp(self, node: ast.BinOp) -> Tuple[ast.expr, ast.expr]:
        left, left_tree = self.visit(node.left)
        right, right_tree = self.visit(node.right)
        value = self.assign(ast.BinOp(left=left, op=node.op, right=right))
        return value, _tuple([_const("bin"), value, _const(_BINOPS.get(type(node.op), "?")),
                              left_tree, right_tree])

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Tuple[ast.expr, ast.expr]:
        operand, operand_tree = self.visit(node.operand)
        value = self.assign(ast.UnaryOp(op=node.op, operand=operand))
        return value, _tuple([_const("un"), value, _const(_UNARY.get(type(node.op), "?")),
                              operand_tree])

    def visit_BoolOp(self, node: ast.BoolOp) -> Tuple[ast.expr, ast.expr]:
        result = self.temp()
        is_and = isinstance(node.op, ast.And)
        trees = []
        outer = self.block
        for i, operand in enumerate(node.values):
            value, tree = self.visit(operand)
            trees.append(tree)
            self.block.append(ast.Assign(targets=[ast.Name(id=result, ctx=ast.Store())],
                                         value=value))
            if i < len(node.values) - 1:
                test = _load(result) if is_and else ast.UnaryOp(op=ast.Not(),
                                                                 operand=_load(result))
                nested: List[ast.stmt] = []
                self.block.append(ast.If(test=test, body=nested, orelse=[]))
                self.block = nested
        self.block = outer
        return _load(result), _tuple([_const("bool"), _load(result),
                                      _const("and" if is_and else "or"), _tuple(trees)])

    def visit_Compare(self, node: ast.Compare) -> Tuple[ast.expr, ast.expr]:
        result = self.temp()
        outer = self.block
        left, left_tree = self.visit(node.left)
        links = []
        for i, (op, comparator) in enumerate(zip(node.ops, node.comparators)):
            right, right_tree = self.visit(comparator)
            if isinstance(op, ast.Eq):
                test = ast.Call(func=_rt("eq"), args=[left, right], keywords=[])
            elif isinstance(op, ast.NotEq):
                test = ast.Call(func=_rt("ne"), args=[left, right], keywords=[])
            else:
                test = ast.Compare(left=left, ops=[op], comparators=[right])
            link = self.assign(test)
            self.block.append(ast.Assign(targets=[ast.Name(id=result, ctx=ast.Store())],
                                         value=link))
            links.append(_tuple([_const("cmp"), link, _const(_CMPOPS[type(op)]), left_tree,
                                 right_tree]))
            if i < len(node.ops) - 1:
                nested: List[ast.stmt] = []
                self.block.append(ast.If(test=_load(result), body=nested, orelse=[]))
                self.block = nested
            left, left_tree = right, right_tree
        self.block = outer
        return _load(result), _tuple([_const("chain"), _load(result), _tuple(links)])


def _relocate(stmt: ast.stmt, where: ast.AST) -> ast.stmt:
    """Give every generated node the assert's position (keeps tracebacks on its line)."""
    for child in ast.walk(stmt):
        if isinstance(child, (ast.expr, ast.stmt, ast.keyword)) \
                and getattr(child, "lineno", None) is None:
            ast.copy_location(child, where)
    return stmt


class _Transformer(ast.NodeTransformer):
    def __init__(self) -> None:
        self.rewriter = _AssertRewriter()

    def visit_Assert(self, node: ast.Assert) -> object:
        if isinstance(node.test, ast.Tuple) and node.test.elts:
            return node  # always true; Python warns about it already
        return self.rewriter.rewrite(node)


def _docstring(tree: ast.Module) -> Optional[str]:
    try:
        return ast.get_docstring(tree, clean=False)
    except Exception:
        return None


def rewrite_tree(tree: ast.Module) -> ast.Module:
    """Rewrite every assert of a module tree (in place). The rewritten code finds the
    run-time support (assertrt.py) as its global ``@pykata_ar``, which ``RewriteLoader``
    puts in the module before running it (no import: the harness is not in sys.modules
    while tests run)."""
    doc = _docstring(tree)
    if doc is not None and "PYTEST_DONT_REWRITE" in doc:
        return tree
    if not any(isinstance(node, ast.Assert) for node in ast.walk(tree)):
        return tree
    _Transformer().visit(tree)
    return tree


# The word ``assert`` (an assert statement cannot be spelled without it), and a PEP 263
# encoding declaration (in another encoding the bytes of the source may spell it otherwise).
_ASSERT_WORD = re.compile(rb"\bassert\b")
_CODING = re.compile(rb"coding[:=]")
_LINES = re.compile(rb"\r\n|\r|\n")


def _any_coding(lines: Sequence[bytes]) -> bool:
    return any(_CODING.search(line) for line in lines)


def compile_test_source(source: bytes, path: str) -> object:
    """Parse, rewrite and compile the source of a test module or conftest.py. A UTF-8
    source without the word ``assert`` (a unittest module) has nothing to rewrite: it is
    compiled as it is, which gives the same code without building its tree."""
    if _ASSERT_WORD.search(source) is None and not _any_coding(_LINES.split(source, 2)[:2]):
        return compile(source, path, "exec", dont_inherit=True)
    tree = ast.parse(source, filename=path)
    rewrite_tree(tree)
    return compile(tree, path, "exec", dont_inherit=True)


TEST_PATTERNS = ("test_*.py", "*_test.py")


def is_test_file_name(name: str, patterns: Sequence[str] = TEST_PATTERNS) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


class RewriteLoader(importlib.machinery.SourceFileLoader):
    """Loads a module from its source, rewritten; never reads or writes bytecode. The source
    is the one read before any code of the folder ran, when the finder has it (code under
    test cannot rewrite a test file on disk before it is collected)."""

    def __init__(self, fullname: str, path: str, finder: "RewriteFinder") -> None:
        super().__init__(fullname, path)
        self.finder = finder

    def get_code(self, fullname: str) -> object:
        path = self.get_filename(fullname)
        source = self.finder.sources.get(os.path.abspath(path))
        if source is None:
            source = self.get_data(path)
        return compile_test_source(source, path)

    def exec_module(self, module: ModuleType) -> None:
        module.__dict__[RUNTIME] = assertrt
        self.finder.loaded.append(module)
        super().exec_module(module)

    def set_data(self, path: str, data: bytes, *, _mode: int = 0o666) -> None:
        return None


class RewriteFinder(importlib.abc.MetaPathFinder):
    """Finds test modules and conftest.py files under ``root`` and rewrites their asserts.

    ``sources``: the bytes of files read ahead (``preload``), by absolute path; ``loaded``:
    every module loaded, in order (the guard watches them)."""

    def __init__(self, root: str, patterns: Sequence[str] = TEST_PATTERNS) -> None:
        self.root = os.path.realpath(root)
        self.patterns = tuple(patterns)
        self._busy = False
        self.sources: Dict[str, bytes] = {}
        self.loaded: List[ModuleType] = []

    def preload(self, paths: Sequence[str]) -> None:
        for path in paths:
            try:
                with io.open_code(path) as handle:
                    self.sources[os.path.abspath(path)] = handle.read()
            except OSError:
                pass

    def wants(self, path: str) -> bool:
        name = os.path.basename(path)
        if name != "conftest.py" and not is_test_file_name(name, self.patterns):
            return False
        real = os.path.realpath(path)
        return real == self.root or real.startswith(self.root + os.sep)

    def loader_for(self, fullname: str, path: str) -> Any:
        """The rewriting loader for a file imported by location, when it is one to rewrite."""
        return RewriteLoader(fullname, path, self) if self.wants(path) else None

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> object:
        if self._busy:
            return None
        self._busy = True
        try:
            spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        finally:
            self._busy = False
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return None
        origin = spec.origin
        if not origin or not self.wants(origin):
            return None
        spec.loader = RewriteLoader(fullname, origin, self)
        return spec


def install(root: str, patterns: Sequence[str] = TEST_PATTERNS) -> RewriteFinder:
    finder = RewriteFinder(root, patterns)
    sys.meta_path.insert(0, finder)
    return finder
