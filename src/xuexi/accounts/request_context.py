"""Who is asking and from where, for the audit log, set once per request."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    address: str = ""


_current: ContextVar[RequestContext] = ContextVar(
    "xuexi_request_context", default=RequestContext()  # noqa: B039 (frozen, immutable)
)


def current() -> RequestContext:
    return _current.get()


def set_current(context: RequestContext) -> object:
    return _current.set(context)


def reset(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
