"""The ``caplog`` fixture: log records emitted during a test (imported when first used)."""
import contextlib
import logging
from io import StringIO
from typing import Any, Dict, Iterator, List, Optional


class LogCaptureHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: List[logging.LogRecord] = []
        self.stream = StringIO()
        self.setFormatter(logging.Formatter(
            "%(levelname)-8s %(name)s:%(filename)s:%(lineno)d %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        try:
            self.stream.write(self.format(record) + "\n")
        except Exception:
            self.handleError(record)

    def reset(self) -> None:
        self.records = []
        self.stream = StringIO()


class LogCaptureFixture:
    """``caplog``: the log records emitted during the test."""

    __class_getitem__ = classmethod(lambda cls, item: cls)

    def __init__(self) -> None:
        self.handler = LogCaptureHandler()
        self._levels: Dict[Optional[str], int] = {}
        self._handler_level: Optional[int] = None

    @property
    def records(self) -> List[logging.LogRecord]:
        return self.handler.records

    @property
    def text(self) -> str:
        return self.handler.stream.getvalue()

    @property
    def messages(self) -> List[str]:
        return [r.getMessage() for r in self.records]

    @property
    def record_tuples(self) -> List[tuple]:
        return [(r.name, r.levelno, r.getMessage()) for r in self.records]

    def get_records(self, when: str) -> List[logging.LogRecord]:
        return self.records

    def clear(self) -> None:
        self.handler.reset()

    def set_level(self, level: Any, logger: Optional[str] = None) -> None:
        target = logging.getLogger(logger)
        self._levels.setdefault(logger, target.level)
        target.setLevel(level)
        if self._handler_level is None:
            self._handler_level = self.handler.level
        self.handler.setLevel(level)

    @contextlib.contextmanager
    def at_level(self, level: Any, logger: Optional[str] = None) -> Iterator[None]:
        target = logging.getLogger(logger)
        old, old_handler = target.level, self.handler.level
        target.setLevel(level)
        self.handler.setLevel(level)
        try:
            yield
        finally:
            target.setLevel(old)
            self.handler.setLevel(old_handler)

    def _start(self) -> None:
        logging.getLogger().addHandler(self.handler)

    def _finalize(self) -> None:
        logging.getLogger().removeHandler(self.handler)
        for name, level in self._levels.items():
            logging.getLogger(name).setLevel(level)
        if self._handler_level is not None:
            self.handler.setLevel(self._handler_level)
