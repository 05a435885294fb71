"""What is wrong with an ``events.yaml``, said so that a person can fix it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One mistake: where it is (file, line, column, entry, field) and how to fix it."""

    file: str
    line: int | None
    column: int | None
    message: str
    entry: str | None = None
    field: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        what = " ".join(part for part in (self.entry, self._field_label()) if part)
        text = f"{where}: {what + ': ' if what else ''}{self.message}"
        return f"{text} {self.hint}" if self.hint else text

    def _field_label(self) -> str | None:
        return f"field '{self.field}'" if self.field else None

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "entry": self.entry,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
        }


class CatalogError(ValueError):
    """The catalogue file cannot be used. ``problems`` lists every mistake found, in
    file order, so that one run of ``feeds check`` shows them all."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        heading = f"{count} problem{'s' if count != 1 else ''} in the catalogue:"
        super().__init__("\n".join([heading, *(f"  {p}" for p in self.problems)]))

    @property
    def first(self) -> Problem:
        return self.problems[0]
