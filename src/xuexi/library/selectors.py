"""Reads of the library and the daily push, each narrowed to what the viewer's scope reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from xuexi.accounts.scope import Scope
from xuexi.errors import NotFound
from xuexi.library.access import access_item, ancestry, home_paths, reader_q
from xuexi.library.errors import LibraryError
from xuexi.library.models import DailyPush, ItemFile, LibraryItem, PushEntry, PushOpen
from xuexi.library.search import query_terms, ranked
from xuexi.norms import standings
from xuexi.orgs.models import Organization


@dataclass(frozen=True)
class ItemFilters:
    search: str = ""  # words, ranked by relevance when given
    kind: str = ""
    area: str = ""
    campaign: str = ""  # a campaign's code
    publisher: str = ""  # an organization's code
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    # The withdrawn items (撤回) of the publishers the scope covers, instead of the live ones: administrators only.
    removed: bool = False


def _has_area(area: str) -> Q:
    if connection.vendor == "postgresql":
        return Q(areas__contains=[area])
    # SQLite has no JSON containment lookup; json_each reads the stored list.
    table = LibraryItem._meta.db_table
    return Q(id__in=RawSQL(f"SELECT t.id FROM {table} t, json_each(t.areas) "  # noqa: S608,S611 -- table from the model
                           "WHERE json_each.value = %s", (area,)))


def item_list(*, scope: Scope, filters: ItemFilters | None = None) -> QuerySet[LibraryItem]:
    """The items the scope reads, filtered; the best matches first when searching, else the newest."""
    filters = filters or ItemFilters()
    items = LibraryItem.objects.filter(reader_q(scope)).select_related("publisher")
    if filters.removed:
        items = items.filter(scope.org_q("publisher__"), removed_at__isnull=False)
    else:
        items = items.filter(removed_at__isnull=True)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.area:
        items = items.filter(_has_area(filters.area))
    if filters.campaign:
        items = items.filter(campaigns__code=filters.campaign)
    if filters.publisher:
        items = items.filter(publisher__code=filters.publisher)
    if filters.date_from:
        items = items.filter(date__gte=filters.date_from)
    if filters.date_to:
        items = items.filter(date__lte=filters.date_to)
    if filters.search.strip():
        return ranked(items, query_terms(filters.search))
    return items.order_by("-date", "-id")


def item_files(*, item: LibraryItem) -> QuerySet[ItemFile]:
    return ItemFile.objects.filter(item=item, removed_at__isnull=True).order_by("uploaded_at", "id")


def file_for_viewing(*, scope: Scope, item_id: int, file_id: int) -> ItemFile:
    """A file of an item the scope reads; outside the scope it answers as a missing one."""
    item = access_item(scope=scope, item_id=item_id)
    found = item_files(item=item).filter(pk=file_id).first()
    if found is None:
        raise NotFound(LibraryError.FILE_NOT_FOUND, f"资料文件 {file_id} 不存在")
    return found


def _with_items(pushes: QuerySet[DailyPush], *, removed_too: bool = False) -> QuerySet[DailyPush]:
    # A withdrawn item leaves the pushes members see; its entry stays, and the editor's page shows it marked.
    entries = PushEntry.objects.select_related("item", "item__publisher").order_by("position")
    if not removed_too:
        entries = entries.filter(item__removed_at__isnull=True)
    return pushes.select_related("org").prefetch_related(Prefetch("entries", queryset=entries))


def pushes_for(*, scope: Scope, date: dt.date) -> list[DailyPush]:
    """The day's pushes that reach the viewer: the nearest organization's first, then its ancestors'."""
    scope.require_business_data()
    homes = home_paths(scope)
    if not homes:
        return []
    pushes = DailyPush.objects.filter(date=date, org__path__in=ancestry(homes[0])).order_by("-org__depth")
    return list(_with_items(pushes))


def push_dates(*, scope: Scope, before: dt.date, limit: int = 60) -> list[dt.date]:
    """The days before `before` that had a push reaching the viewer, newest first (the archive)."""
    scope.require_business_data()
    homes = home_paths(scope)
    if not homes:
        return []
    return list(DailyPush.objects.filter(date__lt=before, org__path__in=ancestry(homes[0]))
                .order_by("-date").values_list("date", flat=True).distinct()[:limit])


@dataclass(frozen=True)
class Reach:
    """Who opened a day's push: a count and a share of the subtree's members, never names or a ranking."""

    push: DailyPush
    opened: int
    members: int

    @property
    def share(self) -> float:
        return min(1.0, self.opened / self.members) if self.members else 0.0


def push_reach(*, org: Organization, date_from: dt.date, date_to: dt.date) -> list[Reach]:
    """The reach of an organization's pushes over some days, newest first (the caller has checked the scope).

    The members are the subtree's active roster as the norms keep it counted (at the root, 1.3 million
    people: counting them per view took most of a second); the opens are those of the push, which only
    the subtree's members were shown, one row per person.
    """
    members = standings.roster_size(org=org, year=date_to.year)
    pushes = _with_items(DailyPush.objects.filter(org=org, date__range=(date_from, date_to)).order_by("-date"),
                         removed_too=True)
    opened = dict(PushOpen.objects.filter(push__in=pushes).values("push").annotate(n=Count("id"))
                  .values_list("push", "n"))
    return [Reach(push=p, opened=opened.get(p.pk, 0), members=members) for p in pushes]


def push_of(*, org: Organization, date: dt.date) -> DailyPush | None:
    return _with_items(DailyPush.objects.filter(org=org, date=date), removed_too=True).first()


def pushable_items(*, scope: Scope, org: Organization, search: str = "") -> QuerySet[LibraryItem]:
    """Items an editor may push to an organization's subtree: published by it or above it, readable by the editor."""
    items = item_list(scope=scope, filters=ItemFilters(search=search))
    return items.filter(Q(publisher__path__in=ancestry(org.path)))
