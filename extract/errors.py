"""Exception types the library raises; the CLI turns each into one ``Error: …`` line."""

from __future__ import annotations


class ClaimsetError(Exception):
    """Base class of every error claimset raises on purpose."""

    exit_code = 1


class UsageError(ClaimsetError):
    """The caller asked for something that cannot work (bad path, bad option)."""

    exit_code = 2


class ModelNotFoundError(ClaimsetError):
    """The requested spaCy pipeline is not installed."""

    exit_code = 2


class SchemaValidationError(ClaimsetError):
    """Rows do not match the JSON Schema contract; carries every problem found."""

    def __init__(self, table: str, problems: list[str]) -> None:
        self.table = table
        self.problems = problems
        shown = "\n  ".join(problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} schema violation(s) in {table} rows:\n  {shown}{more}")
