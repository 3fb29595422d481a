"""通知 pages: the signed-in account's own notifications, and marking them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from xuexi.accounts.models import User
from xuexi.notices import selectors, services
from xuexi.pagination import page_number, paginate


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.notification_list(user=_user(request)), page=page_number(request))
    return render(request, "web/notices/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """All of them (all=1) or the given ids; an id that is not a number or not the viewer's changes nothing."""
    if request.POST.get("all"):
        services.notification_mark_read(user=_user(request), ids="all")
    else:
        ids = [int(value) for value in request.POST.getlist("id") if value.isdecimal() and len(value) <= 18]
        services.notification_mark_read(user=_user(request), ids=ids)
    page = page_number(request)
    return redirect(reverse("web:notification_list") + (f"?page={page}" if page > 1 else ""))
