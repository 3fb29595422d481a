"""Reads of the roster, always within the caller's scope."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from xuexi.accounts.scope import Scope
from xuexi.people import personal_numbers
from xuexi.people.models import Person, Post, Transfer

_LOOKS_LIKE_ID_CARD = re.compile(r"^\d{17}[\dXx]$")
_LOOKS_LIKE_PHONE = re.compile(r"^1\d{10}$")


@dataclass(frozen=True)
class PersonFilters:
    search: str = ""  # name (partial), number, or an exact ID-card or phone number
    org_path: str = ""  # the organization's subtree, or only the organization with direct_only
    direct_only: bool = False
    rank: str = ""
    leader_post: str = ""
    group: str = ""
    include_inactive: bool = False


def _search_q(text: str) -> Q:
    text = text.strip()
    if _LOOKS_LIKE_ID_CARD.match(text):
        return Q(id_card_index=personal_numbers.blind_index(text.upper(), purpose="id_card"))
    if _LOOKS_LIKE_PHONE.match(text):
        return Q(phone_index=personal_numbers.blind_index(text, purpose="phone"))
    return Q(name__contains=text) | Q(number=text)


def person_list(*, scope: Scope, filters: PersonFilters | None = None) -> QuerySet[Person]:
    """List the people in scope, filtered; exact ID-card and phone numbers match by blind index."""
    scope.require_business_data()
    filters = filters or PersonFilters()
    qs = Person.objects.select_related("org").filter(scope.person_q())
    if not filters.include_inactive:
        qs = qs.filter(is_active=True)
    if filters.search:
        qs = qs.filter(_search_q(filters.search))
    if filters.org_path:
        qs = qs.filter(org__path=filters.org_path) if filters.direct_only else qs.filter(
            org__path__startswith=filters.org_path
        )
    if filters.rank:
        qs = qs.filter(rank=filters.rank)
    if filters.leader_post:
        qs = qs.filter(leader_post=filters.leader_post)
    if filters.group:
        qs = qs.filter(group_rows__group=filters.group)
    return qs.order_by("org__path", "number")


def person_groups(*, person: Person) -> list[str]:
    return list(person.group_rows.order_by("group").values_list("group", flat=True))


def person_posts(*, scope: Scope, person: Person) -> QuerySet[Post]:
    """The posts of a person already fetched through access_person."""
    return person.posts.select_related("org").order_by("-start_date", "id")


def person_transfers(*, scope: Scope, person: Person) -> QuerySet[Transfer]:
    """The transfer history of a person already fetched through access_person."""
    return person.transfers.select_related("from_org", "to_org")


def person_count(*, scope: Scope, org_path: str = "") -> int:
    return person_list(scope=scope, filters=PersonFilters(org_path=org_path)).count()


def groups_by_person(*, person_ids: list[int]) -> dict[int, list[str]]:
    """The 关注群体 of several people, in one query."""
    from xuexi.people.models import PersonGroup

    result: dict[int, list[str]] = {pid: [] for pid in person_ids}
    for pid, group in PersonGroup.objects.filter(person_id__in=person_ids).order_by("group").values_list(
        "person_id", "group"
    ):
        result[pid].append(group)
    return result


def person_for_account(*, scope: Scope, number: str) -> Person:
    """The person an account is linked to, found by exact number, for the system administrator only."""
    from xuexi.errors import NotFound
    from xuexi.people.errors import PersonError

    person = Person.objects.filter(number=number).first() if scope.is_system_admin else None
    if person is None:
        raise NotFound(PersonError.NOT_FOUND, f"人员编号 {number} 不存在")
    return person
