"""Reads of learning records, always within the caller's scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from xuexi.accounts.scope import Scope
from xuexi.learning.ledger import credited_hours, default_rules
from xuexi.learning.models import Activity, Attendance, AttendanceStatus, ClaimStatus, LearningClaim
from xuexi.people.models import Person


@dataclass(frozen=True)
class ActivityFilters:
    host_path: str = ""  # the host's subtree
    direct_only: bool = False
    kind: str = ""
    since: date | None = None
    until: date | None = None
    search: str = ""


def activity_list(*, scope: Scope, filters: ActivityFilters | None = None) -> QuerySet[Activity]:
    """Activities hosted inside the scope, newest first."""
    scope.require_business_data()
    filters = filters or ActivityFilters()
    qs = Activity.objects.select_related("host").filter(scope.org_q("host__"))
    if filters.host_path:
        qs = qs.filter(host__path=filters.host_path) if filters.direct_only else qs.filter(
            host__path__startswith=filters.host_path)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.since:
        qs = qs.filter(start_date__gte=filters.since)
    if filters.until:
        qs = qs.filter(start_date__lte=filters.until)
    if filters.search:
        qs = qs.filter(topic__contains=filters.search)
    return qs.order_by("-start_date", "-id")


def claim_list(*, scope: Scope, status: str = "", org_path: str = "") -> QuerySet[LearningClaim]:
    """Claims of the people in scope (an administrator's queue to certify, or one's own)."""
    scope.require_business_data()
    qs = LearningClaim.objects.select_related("person__org").filter(scope.person_q("person__"))
    if status:
        qs = qs.filter(status=status)
    if org_path:
        qs = qs.filter(person__org__path__startswith=org_path)
    return qs.order_by("-submitted_at", "-id")


@dataclass(frozen=True)
class LedgerEntry:
    """One line of a person's archive: a source, what it counted for, and why."""

    source: str  # 参加记录 / 学时申报
    reference: str  # activity number or claim id
    kind: str
    title: str
    start_date: date
    hours: Decimal
    days: Decimal
    off_job: bool
    content_areas: tuple[str, ...]
    counted: bool
    reason: str


@dataclass
class Archive:
    """学习档案: a person's year, every record and the totals by kind and by content area."""

    person: Person
    year: int
    entries: list[LedgerEntry] = field(default_factory=list)

    def _counted(self) -> list[LedgerEntry]:
        return [e for e in self.entries if e.counted]

    @property
    def total_hours(self) -> Decimal:
        return sum((e.hours for e in self._counted()), Decimal(0))

    @property
    def total_days(self) -> Decimal:
        return sum((e.days for e in self._counted()), Decimal(0))

    def by_kind(self) -> dict[str, tuple[Decimal, Decimal]]:
        totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for entry in self._counted():
            totals[entry.kind][0] += entry.hours
            totals[entry.kind][1] += entry.days
        return {kind: (hours, days) for kind, (hours, days) in sorted(totals.items())}

    def by_area(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for entry in self._counted():
            for area in entry.content_areas:
                totals[area] += entry.hours
        return dict(sorted(totals.items()))


def person_archive(*, scope: Scope, person: Person, year: int) -> Archive:
    """The archive of a person already fetched through access_person: every record of the year, explained."""
    rules = default_rules()
    archive = Archive(person=person, year=year)
    rows = (
        Attendance.objects.filter(person=person, activity__start_date__year=year)
        .select_related("activity")
        .prefetch_related("activity__area_rows")
        .order_by("activity__start_date", "activity_id")
    )
    for row in rows:
        activity = row.activity
        present = row.status == AttendanceStatus.PRESENT
        hours, why = credited_hours(attendance_hours=row.hours, activity_hours=activity.hours, kind=activity.kind,
                                    length_days=activity.length_days, rules=rules)
        days = row.days if row.days is not None else Decimal(activity.length_days)
        archive.entries.append(LedgerEntry(
            source="参加记录", reference=activity.number, kind=activity.kind, title=activity.topic,
            start_date=activity.start_date, hours=hours if present else Decimal(0),
            days=days if present else Decimal(0), off_job=activity.off_job,
            content_areas=tuple(a.area for a in activity.area_rows.all()), counted=present,
            reason=why if present else f"{row.status}，不计学时",
        ))
    for claim in LearningClaim.objects.filter(person=person, start_date__year=year).order_by("start_date", "id"):
        certified = claim.status == ClaimStatus.CERTIFIED
        decided = f"{claim.decided_at:%Y-%m-%d}" if claim.decided_at else ""
        reason = {
            ClaimStatus.CERTIFIED: f"{claim.decided_by} 于 {decided} 认定",
            ClaimStatus.PENDING: "待所在组织认定，尚不计入",
            ClaimStatus.REFUSED: f"不予认定：{claim.refusal_reason}",
        }[ClaimStatus(claim.status)]
        archive.entries.append(LedgerEntry(
            source="学时申报", reference=str(claim.pk), kind=claim.kind, title=claim.title, start_date=claim.start_date,
            hours=claim.hours if certified else Decimal(0), days=claim.days if certified else Decimal(0),
            off_job=claim.off_job, content_areas=(), counted=certified, reason=reason,
        ))
    archive.entries.sort(key=lambda e: (e.start_date, e.source, e.reference))
    return archive
