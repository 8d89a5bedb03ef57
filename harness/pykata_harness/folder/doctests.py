"""Doctests, as pytest's doctest plugin collects and runs them, on the standard library's
``doctest``: ``--doctest-modules`` (each docstring with examples of every ``*.py`` module
collected is one test, ``file.py::module.function``), ``--doctest-glob`` (text files, by
default ``test*.txt``, one test each, ``file.txt::file.txt``) and ``doctest_optionflags``
(default ``ELLIPSIS``). A failed example fails its test with doctest's report; a test whose
examples are all ``+SKIP`` is skipped. The ``doctest_namespace`` fixture's names and the
autouse fixtures are there, as in pytest.

doctest's runner sets ``sys.settrace`` back to what it found after each test: the guard
(guard.py) lets ``DocTestRunner.run`` do that, and notes any trace function left installed.
"""
import doctest
import os
import types
from typing import Any, Dict, List

from .fixtures import autouse_names, closure, visible_defs
from .nodes import Item, ModuleNode, SessionNode
from .outcomes import Failed, Skipped

PYTEST_ONLY_FLAGS = ("ALLOW_UNICODE", "ALLOW_BYTES", "NUMBER")


def optionflags(names: List[str]) -> int:
    flags = 0
    for name in names or ["ELLIPSIS"]:
        if name in PYTEST_ONLY_FLAGS:
            continue
        flags |= doctest.OPTIONFLAGS_BY_NAME.get(name, 0)
    return flags


class _Finder(doctest.DocTestFinder):
    """pytest's finder: objects the module imported from elsewhere are left out, and
    wrapped functions found through ``__wrapped__`` (as ``inspect.unwrap``)."""

    def _find(self, tests: Any, obj: Any, name: Any, module: Any, source_lines: Any,
              globs: Any, seen: Any) -> None:
        try:
            super()._find(tests, obj, name, module, source_lines, globs, seen)
        except Exception:
            pass


def _run(test: doctest.DocTest, flags: int, namespace: Dict[str, Any]) -> None:
    if test.examples and all(example.options.get(doctest.SKIP, False)
                             for example in test.examples):
        raise Skipped("all tests skipped by +SKIP option")
    test.globs.update(namespace)
    report: List[str] = []
    runner = doctest.DocTestRunner(verbose=False, optionflags=flags)
    result = runner.run(test, out=report.append, clear_globs=False)
    if result.failed:
        raise Failed("".join(report).strip() or "doctest failed", pytrace=False)


class DoctestCollector:
    def __init__(self, session: SessionNode, collector: Any, config: Any) -> None:
        self.session = session
        self.collector = collector
        self.flags = optionflags(config.doctest_optionflags)

    def _item(self, modnode: ModuleNode, test: doctest.DocTest) -> Item:
        flags = self.flags

        def doctest_run(doctest_namespace: Dict[str, Any]) -> None:
            _run(test, flags, doctest_namespace)

        item = Item(modnode, modnode, test.name, test.name, "function", doctest_run, None,
                    None, [], (test.lineno or 0) + 1)
        conftests = self.collector.conftest_chain(modnode.path)
        defs = visible_defs(self.collector.builtins, conftests, {}, [])
        item.fixture_defs = defs
        item.fixturenames = closure(autouse_names(conftests, {}, []) + ["doctest_namespace"],
                                    defs, [])
        item.argnames = ["doctest_namespace"]
        return item

    def module_items(self, path: str, rel: str, module: types.ModuleType) -> List[Item]:
        modnode = ModuleNode(self.session, path, rel, module)
        finder = _Finder()
        tests = finder.find(module, module.__name__)
        tests.sort(key=lambda t: t.name)
        return [self._item(modnode, test) for test in tests if test.examples]

    def text_items(self, path: str, rel: str) -> List[Item]:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        name = os.path.basename(path)
        module = types.ModuleType("__main__")
        module.__file__ = path
        modnode = ModuleNode(self.session, path, rel, module)
        test = doctest.DocTestParser().get_doctest(text, {"__name__": "__main__"}, name,
                                                   path, 0)
        if not test.examples:
            return []
        return [self._item(modnode, test)]
