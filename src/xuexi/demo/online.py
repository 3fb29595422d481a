"""网络学习 for the demo province: a fortnight of online reading by a sample of leading cadres, in bulk.

In two steps around the ledger's rebuild: the days' credit (PlatformCredit) is written before it, so the
rebuild counts it like any record; the reading records (ReadingTime) that earned it are written once the
library's items exist, spread over the items published by then, with the same seconds. The demo member
has read for almost six minutes today, so that a few more seconds on the platform show their first 0.1 h.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from xuexi.accounts.models import User
from xuexi.bulk import bulk_insert
from xuexi.learning.models import ActivityKind, PlatformCredit, PlatformSource
from xuexi.library.models import LibraryItem, ReadingTime
from xuexi.library.reading import DAY_TITLE, credited_hours
from xuexi.people.models import Person

READERS = 3000  # leading cadres with some online reading, at every scale above the smallest
DAYS = 14
ITEM_CAP_SECONDS = 30 * 60  # the default rule's caps
DAY_CAP_SECONDS = 120 * 60


@dataclass
class OnlinePlan:
    """Who read on which day, and the seconds of each item read (assigned to items in the second step)."""

    days: list[tuple[int, date, list[int]]] = field(default_factory=list)


def generate_online_credit(*, rng: random.Random, today: date, now: Any) -> tuple[OnlinePlan, int]:
    """Plan the fortnight's reading and write each day's credit; return the plan and the rows written."""
    readers = list(Person.objects.exclude(leader_post="无").filter(is_active=True).order_by("id")
                   .values_list("id", flat=True)[:READERS])
    plan = OnlinePlan()
    for person_id in readers:
        for offset in sorted(rng.sample(range(1, DAYS + 1), rng.randint(1, 5))):
            seconds = [rng.randint(60, ITEM_CAP_SECONDS) for _ in range(rng.randint(1, 3))]
            while sum(seconds) > DAY_CAP_SECONDS:
                seconds.pop()
            plan.days.append((person_id, today - timedelta(days=offset), seconds))

    def rows() -> Any:
        for person_id, day, seconds in plan.days:
            hours = credited_hours(sum(seconds))
            if hours:
                yield (person_id, ActivityKind.ONLINE_LEARNING.value, day, hours, PlatformSource.ONLINE.value,
                       day.isoformat(), DAY_TITLE, now, now)

    written = bulk_insert(PlatformCredit, ("person_id", "kind", "date", "hours", "source", "reference", "title",
                                           "created_at", "updated_at"), rows())
    return plan, written


def generate_reading_times(plan: OnlinePlan) -> int:
    """Write the reading records of the plan over the items published by each day; return the rows written."""
    items = list(LibraryItem.objects.order_by("date", "id").values_list("id", "date"))
    zone = timezone.get_current_timezone()

    def rows() -> Any:
        for person_id, day, seconds in plan.days:
            readable = [item_id for item_id, published in items if published <= day]
            if not readable:
                continue
            last = timezone.make_aware(datetime.combine(day, time(20, 30)), zone)
            for n, (item_id, spent) in enumerate(zip(readable[-len(seconds):], seconds, strict=False)):
                yield (person_id, item_id, day, spent, spent // 30 + 1, last + timedelta(minutes=n), False)

    written = bulk_insert(ReadingTime, ("person_id", "item_id", "day", "seconds", "beats", "last_beat_at",
                                        "running"), rows())
    return written + _member_today(items)


def _member_today(items: list[tuple[int, date]]) -> int:
    """The demo member has read for 5 minutes 54 seconds today: six more seconds credit their first 0.1 h."""
    person_id = User.objects.filter(username="member").values_list("person_id", flat=True).first()
    if person_id is None or not items:
        return 0
    ReadingTime.objects.create(person_id=person_id, item_id=items[0][0], day=timezone.localdate(), seconds=354,
                               beats=12, last_beat_at=timezone.now(), running=False)
    return 1
