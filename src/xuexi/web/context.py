"""What every page's template knows about the platform and the viewer."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from xuexi.accounts.scope import Scope
from xuexi.notices import selectors as notice_selectors


def platform(request: HttpRequest) -> dict[str, object]:
    scope = getattr(request, "scope", None) or Scope()
    return {"demo_environment": settings.DEMO, "scope": scope}


def notices(request: HttpRequest) -> dict[str, object]:
    """The signed-in account's unread count for the 通知 nav item: one COUNT, only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: notice_selectors.unread_count(user=user))}
