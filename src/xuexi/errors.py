"""The one exception that services raise, mapped by each presentation layer."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class ErrorKind(StrEnum):
    NOT_FOUND = "not_found"  # 404: missing, or outside the caller's scope
    FORBIDDEN = "forbidden"  # 403: visible but not allowed
    INVALID = "invalid"  # 400/422: bad input
    CONFLICT = "conflict"  # 409: the state does not allow it


class DomainError(Exception):
    """A failure the user can understand: a stable code and a Chinese detail."""

    def __init__(
        self,
        code: str,
        detail: str,
        *,
        kind: ErrorKind = ErrorKind.INVALID,
        field: str | None = None,
        row: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.kind = kind
        self.field = field
        self.row = row
        # Set by a service that has already written its own audit record of the refusal.
        self.audited = False

    def as_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"code": self.code, "detail": self.detail}
        if self.field is not None:
            body["field"] = self.field
        if self.row is not None:
            body["row"] = self.row
        return body


class NotFound(DomainError):
    """Raised alike for what does not exist and what lies outside the caller's scope."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(code, detail, kind=ErrorKind.NOT_FOUND)


class Forbidden(DomainError):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(code, detail, kind=ErrorKind.FORBIDDEN)


def refuse_unknown_fields(changes: Iterable[str], allowed: Iterable[str], *, code: str) -> None:
    """Mass assignment: a write names only fields on its allowlist, or nothing is written."""
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise DomainError(code, f"不能修改这些字段：{'、'.join(unknown)}", field=unknown[0])
