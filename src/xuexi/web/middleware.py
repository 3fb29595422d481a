"""Response headers every page carries: CSP, and no caching of anything personal."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.XUEXI_CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if not request.path.startswith(settings.STATIC_URL):
            # Pages and API answers hold personal data: never kept by a browser or a proxy.
            response.headers["Cache-Control"] = "no-store"
        return response


class DomainErrorMiddleware:
    """Pages answer a service's NotFound with the one 404 page, and audit the refusal."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from xuexi.accounts.audit import audit_record
        from xuexi.accounts.models import AuditOutcome
        from xuexi.errors import DomainError, ErrorKind
        from xuexi.web import views

        if not isinstance(exception, DomainError):
            return None
        if exception.kind in (ErrorKind.NOT_FOUND, ErrorKind.FORBIDDEN) and not exception.audited:
            user = request.user if request.user.is_authenticated else None
            audit_record(action="access_refused", actor=user, outcome=AuditOutcome.DENIED,
                         object_type="path", object_repr=request.path[:255], detail={"code": exception.code})
        if exception.kind == ErrorKind.NOT_FOUND:
            return views.not_found(request, exception)
        if exception.kind == ErrorKind.FORBIDDEN:
            return views.forbidden(request, exception)
        return None
