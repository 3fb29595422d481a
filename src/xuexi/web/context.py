"""What every page's template knows about the platform and the viewer."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from xuexi.accounts.scope import Scope


def platform(request: HttpRequest) -> dict[str, object]:
    scope = getattr(request, "scope", None) or Scope()
    return {"demo_environment": settings.DEMO, "scope": scope}
