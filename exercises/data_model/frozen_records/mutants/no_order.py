# expect: Version(1, 2, 3) < Version(1, 10, 0) raised TypeError
# why: forgets order=True, so <, <=, > and >= are not defined between versions.
"""Reference solution of the frozen_records exercise: dataclasses, frozen and not."""
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Version:
    """A semantic version. frozen=True: immutable and hashable. order=True: compared as the
    tuple of its fields, in their order (major, minor, patch), so 1.10.0 > 1.2.3."""

    major: int
    minor: int = 0
    patch: int = 0

    def __post_init__(self):
        # Runs after the generated __init__; a frozen class may check, not assign.
        for name in ("major", "minor", "patch"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative, got {getattr(self, name)}")

    def bump(self, part):
        """A new Version with `part` increased by one and the parts after it reset to 0."""
        if part == "major":
            return replace(self, major=self.major + 1, minor=0, patch=0)
        if part == "minor":
            return replace(self, minor=self.minor + 1, patch=0)
        if part == "patch":
            return replace(self, patch=self.patch + 1)
        raise ValueError(f"part must be 'major', 'minor' or 'patch', got {part!r}")


@dataclass
class Task:
    """A mutable record. Its `tags` default is a factory: each Task gets a new list (a
    plain `= []` is refused by dataclasses, precisely because it would be shared)."""

    title: str
    priority: int = 3
    tags: list = field(default_factory=list)
    done: bool = False


@dataclass
class Bug(Task):
    """Fields are collected base first: title, priority, tags, done, then severity.
    Redefining `priority` keeps its position and changes its default. Every base field
    after `title` has a default, so the new field needs one too (a field without a default
    may not follow one with a default; kw_only would lift that, but needs Python 3.10)."""

    priority: int = 1
    severity: int = 2
