"""Library items and pushes for the tests, published through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from xuexi.accounts.scope import whole_tree_scope
from xuexi.library import services
from xuexi.library.models import DailyPush, LibraryItem

TODAY = timezone.localdate()


def publish(org_code: str, title: str = "学习资料", body: str = "", *, kind: str = "文章",
            areas: Sequence[str] = (), date: dt.date | None = None) -> LibraryItem:
    return services.item_publish(actor=None, scope=whole_tree_scope(), org_code=org_code,
                                 fields=services.ItemFields(kind=kind, title=title, body=body, areas=areas,
                                                            date=date or TODAY))


def push(org_code: str, items: Sequence[LibraryItem], date: dt.date | None = None) -> DailyPush:
    return services.push_set(actor=None, scope=whole_tree_scope(), org_code=org_code, date=date or TODAY,
                             item_ids=[i.pk for i in items])
