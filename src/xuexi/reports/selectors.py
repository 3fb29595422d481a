"""Reads of the annual reports, within the viewer's scope: one report with its versions, a parent's inbox."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet, TextChoices

from xuexi.accounts.scope import Scope
from xuexi.norms import reporting
from xuexi.orgs.models import Organization
from xuexi.reports.models import AnnualReport, ReportState, ReportVersion

CHUNK = 500


class InboxStatus(TextChoices):
    NOT_STARTED = "not_started", "未开始"
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    LATE = "late", "逾期"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已通过"


def first_submissions(year: int, org_ids: Collection[int]) -> Mapping[int, datetime]:
    """When each organization first sent its report on the year (the norms' lookup)."""
    ordered = sorted(org_ids)
    found: dict[int, datetime] = {}
    for start in range(0, len(ordered), CHUNK):
        for org_id, moment in AnnualReport.objects.filter(
                year=year, org_id__in=ordered[start:start + CHUNK], first_submitted_at__isnull=False,
        ).values_list("org_id", "first_submitted_at"):
            if moment is not None:
                found[org_id] = moment
    return found


def status_of(report: AnnualReport | None, year: int, now: datetime) -> tuple[str, bool]:
    """Where a report stands for the inbox, and whether it is late (not sent by the deadline, or sent after it).

    A report not sent when the deadline has passed shows as 逾期; one sent late keeps its state and the flag.
    """
    deadline = reporting.deadline_of(year)
    if report is None or report.first_submitted_at is None:
        late = now > deadline
        if late:
            return InboxStatus.LATE, True
        return (InboxStatus.NOT_STARTED if report is None else InboxStatus.DRAFT), False
    late = report.first_submitted_at > deadline
    state = {ReportState.SUBMITTED: InboxStatus.SUBMITTED, ReportState.RETURNED: InboxStatus.RETURNED,
             ReportState.ACCEPTED: InboxStatus.ACCEPTED, ReportState.DRAFT: InboxStatus.DRAFT}[
        ReportState(report.state)]
    return state, late


def report_for(*, scope: Scope, org: Organization, year: int) -> AnnualReport | None:
    """The caller has fetched the organization through access_org."""
    scope.require_business_data()
    return AnnualReport.objects.filter(org=org, year=year).first()


def versions_of(report: AnnualReport) -> QuerySet[ReportVersion]:
    return report.versions.order_by("-number")


def reports_of(*, scope: Scope, org: Organization) -> QuerySet[AnnualReport]:
    """The organization's own reports, newest year first."""
    scope.require_business_data()
    return AnnualReport.objects.filter(org=org).order_by("-year")


@dataclass(frozen=True)
class InboxRow:
    org: Organization
    report: AnnualReport | None
    status: str
    late: bool

    @property
    def status_label(self) -> str:
        return InboxStatus(self.status).label

    @property
    def versions(self) -> int:
        """How many versions were sent (counted with the inbox, not per row)."""
        return getattr(self.report, "version_count", 0) if self.report is not None else 0


def inbox(*, scope: Scope, parent: Organization, year: int, now: datetime, status: str = "") -> list[InboxRow]:
    """报送情况: each direct child's report on the year, where it stands; the caller fetched the parent."""
    scope.require_business_data()
    children = list(Organization.objects.filter(path__startswith=parent.path, depth=parent.depth + 1,
                                                is_active=True).order_by("path"))
    reports = {r.org_id: r for r in AnnualReport.objects.filter(year=year, org__in=children)
               .annotate(version_count=Count("versions"))}
    rows = []
    for child in children:
        report = reports.get(child.pk)
        state, late = status_of(report, year, now)
        rows.append(InboxRow(child, report, state, late))
    if status:
        rows = [row for row in rows if row.status == status or (status == InboxStatus.LATE and row.late)]
    return rows


def inbox_counts(rows: list[InboxRow]) -> dict[str, int]:
    counts = {status: 0 for status in InboxStatus.values}
    for row in rows:
        counts[row.status] += 1
        if row.late and row.status != InboxStatus.LATE:
            counts[InboxStatus.LATE] += 1
    return counts
