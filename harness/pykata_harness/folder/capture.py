"""Per-test capture of what the tests and the learner's code print.

``sys.stdout`` and ``sys.stderr`` become ``CaptureStream`` objects for the whole run; each
writes to the current *sink* of its stream. Normally both sinks are the running test's
``OutputBuffer`` (stdout and stderr interleaved, capped at 64 KiB); the ``capsys`` fixture
pushes sinks of its own. ``sys.stdin`` refuses to be read, as under pytest. Writes to the file
descriptors themselves (``os.write(1, ...)``, subprocesses) are not captured here: they go to
the process's stdout/stderr, which the grader captures as a whole.

What a buffer cannot keep is not dropped silently: it goes on to the process's real stdout
(``spill``), which the grader counts toward the run's output cap, so a test that prints
without end is stopped for its output within moments instead of running into its time limit.
"""
import io
import os
import sys
from typing import Any, List, Optional, Tuple

LIMIT = 64 * 1024

_write = os.write  # bound now: learner code may replace os.write later


def spill(text: str) -> None:
    """Write what a capture buffer could not keep to file descriptor 1, the run's stdout as
    the grader sees it (a closed or redirected descriptor loses it: the time limit then
    stops a flood)."""
    data = text.encode("utf-8", "replace")
    try:
        while data:
            data = data[_write(1, data):]
    except OSError:
        pass


class OutputBuffer:
    """Text written during one test, capped."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self.parts: List[str] = []
        self.size = 0
        self.dropped = 0

    def write(self, text: str) -> None:
        room = self.limit - self.size
        if len(text) <= room:
            self.parts.append(text)
            self.size += len(text)
            return
        if room > 0:
            self.parts.append(text[:room])
            self.size += room
            text = text[room:]
        self.dropped += len(text)
        spill(text)

    def text(self) -> str:
        out = "".join(self.parts)
        if self.dropped:
            out += f"\n[pykata: {self.dropped} more characters of output were not kept]\n"
        return out

    def take(self) -> str:
        out = self.text()
        self.parts, self.size, self.dropped = [], 0, 0
        return out


class _BinaryView:
    """``sys.stdout.buffer``: bytes are decoded (UTF-8, replacing errors) into the text."""

    def __init__(self, stream: "CaptureStream") -> None:
        self._stream = stream

    def write(self, data: Any) -> int:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"a bytes-like object is required, not '{type(data).__name__}'")
        self._stream.write(bytes(data).decode("utf-8", "replace"))
        return len(data)

    def flush(self) -> None:
        return None

    def writable(self) -> bool:
        return True


class CaptureStream(io.TextIOBase):
    """What ``sys.stdout``/``sys.stderr`` are while the tests run."""

    def __init__(self, capture: "Capture", which: int, name: str) -> None:
        super().__init__()
        self._capture = capture
        self._which = which
        self._name = name
        self.buffer = _BinaryView(self)

    @property
    def name(self) -> str:  # type: ignore[override]
        return self._name

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    @property
    def errors(self) -> str:  # type: ignore[override]
        return "strict"

    @property
    def mode(self) -> str:
        return "w"

    def write(self, text: Any) -> int:  # type: ignore[override]
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._capture.sinks[self._which].write(text)
        return len(text)

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise io.UnsupportedOperation("redirected stdout is pseudofile, has no fileno()")

    def flush(self) -> None:
        return None

    def close(self) -> None:  # learner code closing sys.stdout must not break the run
        return None


class NoStdin(io.TextIOBase):
    """``sys.stdin`` while tests run: reading fails as it does under pytest."""

    MESSAGE = "reading from stdin while output is captured! (tests cannot read input)"

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def read(self, *args: Any) -> str:
        raise OSError(self.MESSAGE)

    readline = read
    readlines = read  # type: ignore[assignment]
    __next__ = read

    def __iter__(self) -> "NoStdin":
        return self

    def fileno(self) -> int:
        raise io.UnsupportedOperation("redirected stdin is pseudofile, has no fileno()")

    def isatty(self) -> bool:
        return False

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        return None

    @property
    def buffer(self) -> "NoStdin":
        return self


class Capture:
    """Owns the replaced streams; ``sinks`` is (stdout sink, stderr sink)."""

    def __init__(self) -> None:
        self.test = OutputBuffer()
        self.sinks: List[Any] = [self.test, self.test]
        self._stack: List[Tuple[Any, Any]] = []
        self.stdout = CaptureStream(self, 0, "<stdout>")
        self.stderr = CaptureStream(self, 1, "<stderr>")
        self.stdin = NoStdin()
        self._saved: Optional[Tuple[Any, Any, Any]] = None

    def start(self) -> None:
        self._saved = (sys.stdout, sys.stderr, sys.stdin)
        self.install()

    def install(self) -> None:
        """(Re)install our streams: a test may have replaced them."""
        sys.stdout, sys.stderr, sys.stdin = self.stdout, self.stderr, self.stdin

    def stop(self) -> None:
        if self._saved is not None:
            sys.stdout, sys.stderr, sys.stdin = self._saved
            self._saved = None

    def push(self, out: Any, err: Any) -> None:
        self._stack.append((self.sinks[0], self.sinks[1]))
        self.sinks[0], self.sinks[1] = out, err

    def pop(self) -> None:
        if self._stack:
            self.sinks[0], self.sinks[1] = self._stack.pop()

    def reset(self) -> None:
        """Start a new test: drop pushed sinks, empty the buffer."""
        self._stack.clear()
        self.sinks[0] = self.sinks[1] = self.test
        self.test.take()

    def take(self) -> str:
        return self.test.take()
