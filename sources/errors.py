"""Errors that name exactly where bad input is, so an operator can act on them."""

from __future__ import annotations


class SourceError(Exception):
    """A publisher file could not be parsed or failed reconciliation.

    The message always names the file, and the sheet, row and column when they are known.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        source_id: str | None = None,
    ):
        self.problem = problem
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        self.source_id = source_id
        super().__init__(self.describe())

    def describe(self) -> str:
        where = []
        if self.source_id:
            where.append(f"source {self.source_id}")
        if self.file:
            where.append(f"file {self.file}")
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return (", ".join(where) + ": " if where else "") + self.problem


class SourceUnavailable(Exception):
    """A publisher could not be reached and no mirror copy was available."""

    def __init__(self, source_id: str, reason: str):
        self.source_id = source_id
        self.reason = reason
        super().__init__(
            f"source {source_id} could not be reached: {reason}. "
            f"To run offline, set INCLUSION_MIRROR to a folder laid out as <mirror>/{source_id}/<files> "
            f"(for example INCLUSION_MIRROR=../shared/data)."
        )
