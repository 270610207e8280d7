"""The one domain error services raise: its message is written for a teacher to read."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the school said no. `field` names the input at fault, when there is one."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status


class Conflict(DomainError):
    status = 409
