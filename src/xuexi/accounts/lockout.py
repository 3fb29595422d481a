"""django-axes hooks: the counting window, the lock-out time, and the answer when locked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def cool_off_time(request: HttpRequest | None = None) -> timedelta:
    """Failures count within the window; once the limit is reached the lock lasts longer.

    axes keeps one running count per user name and forgets it when the last failure is older
    than what this returns, so answering the window until the limit and the lock-out time after
    gives "N failures in the window lock for the lock-out time".
    """
    window = timedelta(minutes=settings.XUEXI_LOCKOUT_WINDOW_MINUTES)
    locked = timedelta(minutes=settings.XUEXI_LOCKOUT_MINUTES)
    username = ""
    if request is not None:
        credentials = getattr(request, "axes_credentials", None) or {}
        username = credentials.get("username") or request.POST.get("username", "")
    if username and AccessAttempt.objects.filter(
        username=username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists():
        return locked
    return window


def locked_out_response(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    from xuexi.accounts.forms import SignInForm

    form = SignInForm(request)
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "locked": True, "lock_minutes": settings.XUEXI_LOCKOUT_MINUTES},
        status=429,
    )
