"""The private channel to the grader: JSON Lines on a pipe, never stdout."""
import json
import os
from typing import Any, Dict


class Channel:
    """Writes one JSON object per line to the grader's pipe, unbuffered."""

    def __init__(self, fd: int) -> None:
        # Keep our own duplicate so learner code that closes fd 3 does not silence us
        # by accident (a deliberate attacker can still find it: the grader fails closed).
        self._fd = os.dup(fd)
        os.set_inheritable(self._fd, False)
        try:
            os.close(fd)
        except OSError:
            pass
        self._write = os.write
        self._dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def send(self, message: Dict[str, Any]) -> None:
        data = (self._dumps(message) + "\n").encode("utf-8", "surrogatepass")
        view = memoryview(data)
        while view:
            written = self._write(self._fd, view)
            view = view[written:]
