"""Entry point of the pykata harness: `python3 -I -B pykata_run.py --channel-fd 3 MODE ...`.

Puts this folder on sys.path (``-I`` leaves it off) and hands over to
``pykata_harness.main``. Standard library only; Python 3.9 or newer.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pykata_harness.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
