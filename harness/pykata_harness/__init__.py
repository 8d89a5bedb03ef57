"""The pykata harness: drives a submission and reports observations to the grader.

Exercise authors import the case API from here: ``from pykata_harness import case, random_case``.
"""
from .cases import builtin_errors, case, random_case

PROTOCOL_VERSION = 1

__all__ = ["PROTOCOL_VERSION", "builtin_errors", "case", "random_case"]
