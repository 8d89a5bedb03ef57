"""Deep copy without the copy module. See README.md for the exact rules."""


def deep_copy(obj):
    """A copy of obj in which every list, dict, set and tuple is copied too."""
    raise NotImplementedError("deep_copy")
