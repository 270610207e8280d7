"""Import errors: every one names its file, line and column so a person can fix the file."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from tenancy.errors import DomainError

# A badly broken national file could yield a million errors; past this many we keep
# counting but stop storing, so the error list itself stays small enough to show.
MAX_STORED_ERRORS = 5000


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in an input file. `line` is the physical line (1 is the header); None
    means the file as a whole. `column` is the header name at fault, or ""."""

    file: str
    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.column:
            where += f":{self.column}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return asdict(self)


class ErrorList:
    """Collects errors, keeping the first MAX_STORED_ERRORS and counting the rest."""

    def __init__(self) -> None:
        self.items: list[RowError] = []
        self.count = 0

    def add(self, file: str, line: int | None, column: str, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_STORED_ERRORS:
            self.items.append(RowError(file, line, column, message))

    def __bool__(self) -> bool:
        return self.count > 0

    def __len__(self) -> int:
        return self.count


class RosterError(DomainError):
    """The input was refused and nothing was written; `errors` says where and why."""

    def __init__(self, errors: ErrorList | list[RowError]):
        if isinstance(errors, ErrorList):
            self.errors = list(errors.items)
            self.total = errors.count
        else:
            self.errors = list(errors)
            self.total = len(self.errors)
        noun = "error" if self.total == 1 else "errors"
        super().__init__(
            f"The file has {self.total} {noun}; nothing was imported.", field="file", status=400
        )
