"""Per-request account rules: audit context, session time limits, owed sign-in steps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone

from xuexi.accounts import request_context
from xuexi.accounts.sign_in_steps import needs_password_change, needs_second_factor

SIGNED_IN_AT = "xuexi_signed_in_at"
LAST_SEEN = "xuexi_last_seen"
# An idle session may so end up to this many seconds before its idle limit, never after it.
LAST_SEEN_STEP_SECONDS = 60

_EXEMPT_PREFIXES = ("/static/", "/accounts/sign-out", "/accounts/password", "/accounts/otp", "/i18n/")


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_context.set_current(
            request_context.RequestContext(address=request.META.get("REMOTE_ADDR", "")[:64])
        )
        try:
            return self.get_response(request)
        finally:
            request_context.reset(token)


class SessionTimeoutMiddleware:
    """Sessions end after XUEXI_SESSION_IDLE_MINUTES idle and XUEXI_SESSION_MAX_HOURS in all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            signed_in = request.session.get(SIGNED_IN_AT, now)
            last_seen = request.session.get(LAST_SEEN, now)
            idle = timedelta(minutes=settings.XUEXI_SESSION_IDLE_MINUTES).total_seconds()
            total = timedelta(hours=settings.XUEXI_SESSION_MAX_HOURS).total_seconds()
            if now - last_seen > idle or now - signed_in > total:
                from xuexi.accounts.audit import audit_record

                audit_record(action="session_expired", actor=user, object_type="user",
                             object_id=str(user.pk), object_repr=user.username)
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"code": "session_expired", "detail": "会话已超时，请重新登录"}, status=401)
                return redirect("/accounts/sign-in/?expired=1")
            if SIGNED_IN_AT not in request.session:
                request.session[SIGNED_IN_AT] = signed_in
            # Marked again once a minute, not on every request: each mark rewrites the session row.
            if LAST_SEEN not in request.session or now - last_seen >= LAST_SEEN_STEP_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class SignInStepsMiddleware:
    """Send an account that owes a password change or a second factor to that step first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(_EXEMPT_PREFIXES):
            return self.get_response(request)
        target = None
        if needs_password_change(user):
            target = "/accounts/password/"
        elif needs_second_factor(user) and not user.is_verified():  # type: ignore[attr-defined]
            target = "/accounts/otp/"
        if target is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "sign_in_incomplete", "detail": "请先在网页上完成修改密码或双因素认证"}, status=403
            )
        return redirect(target)


class ScopeMiddleware:
    """Attach the viewer's scope to the request once; views pass it to selectors and services."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils.functional import SimpleLazyObject

        from xuexi.accounts.scope import Scope

        request.scope = SimpleLazyObject(lambda: Scope.for_user(request.user))  # type: ignore[attr-defined]
        return self.get_response(request)


class SignInRateLimitMiddleware:
    """At most XUEXI_SIGN_IN_RATE_PER_MINUTE sign-in attempts a minute from one address: then 429."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path == "/accounts/sign-in/":
            from django.core.cache import cache

            minute = int(timezone.now().timestamp() // 60)
            key = f"xuexi:sign-in-rate:{request.META.get('REMOTE_ADDR', '')}:{minute}"
            cache.add(key, 0, timeout=120)
            if cache.incr(key) > settings.XUEXI_SIGN_IN_RATE_PER_MINUTE:
                from xuexi.accounts.audit import audit_record
                from xuexi.accounts.models import AuditOutcome

                audit_record(action="sign_in_rate_limited", outcome=AuditOutcome.DENIED, object_type="address",
                             object_repr=request.META.get("REMOTE_ADDR", "")[:255])
                return HttpResponse("登录尝试过于频繁，请一分钟后再试。", status=429,
                                    content_type="text/plain; charset=utf-8")
        return self.get_response(request)
