"""The pykata harness: drives a submission and reports observations to the grader.

Exercise authors import the case API from here: ``from pykata_harness import case, random_case``.
"""
PROTOCOL_VERSION = 1
