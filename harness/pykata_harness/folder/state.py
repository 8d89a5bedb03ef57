"""What the built-in fixtures need from the run in progress (set by the runner)."""
from typing import Any, Optional


class State:
    capture: Any = None        # capture.Capture
    item: Any = None           # the running nodes.Item
    root: str = ""             # the tested folder
    tmp_base: Optional[str] = None   # where tmp_path folders go (made on first use)
    report: Any = None         # report.Reporter (frames and messages for subtests)


STATE = State()
