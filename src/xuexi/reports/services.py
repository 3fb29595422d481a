"""Writes of the annual report: draft from the record, edit, submit a version, accept or return it; all audited.

The report goes to the parent organization: its administrators (and those above them) and the
组织部门/宣传部门 reviewers whose scope holds the reporting organization decide on it. A version once
sent never changes; returning it with comments asks for the next version. Each submission is
announced to the norms, whose `annual-report-jan31` rule judges the first one against the deadline.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import GrantRole, ScopeGrant, User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, Forbidden, refuse_unknown_fields
from xuexi.norms import reporting
from xuexi.notices.models import NotificationKind
from xuexi.notices.services import Draft, nearest_admins, notify
from xuexi.orgs import dependents
from xuexi.orgs.access import access_org
from xuexi.orgs.dependents import SubjectsChanged
from xuexi.orgs.models import Organization
from xuexi.reports import drafting
from xuexi.reports.errors import ReportError
from xuexi.reports.models import SECTIONS, AnnualReport, Decision, ReportState, ReportVersion

SECTION_FIELDS = tuple(name for name, _ in SECTIONS)
SECTION_LIMIT = 20_000  # characters in one part: a long report is a few thousand
FIRST_YEAR = 2000


def _actor_name(actor: User | None) -> str:
    return (actor.display_name or actor.username) if actor is not None else "xuexi"


def check_year(year: int, today: date) -> None:
    if not FIRST_YEAR <= year <= today.year:
        raise DomainError(ReportError.YEAR_INVALID, f"年度 {year} 无效，应为 {FIRST_YEAR} 到 {today.year} 之间",
                          field="year")


def may_review(scope: Scope, org: Organization) -> bool:
    """The level above decides: write scope over the parent, or a reviewer's scope that holds the organization."""
    if org.depth <= 1:
        return False
    parent_path = org.path[:-Organization.steplen]
    return scope.covers_path(parent_path, write=True) or any(org.path.startswith(p) for p in scope.review_paths)


def _reporting_org(scope: Scope, code: str) -> Organization:
    org = access_org(scope=scope, code=code, write=True)
    if org.depth <= 1:
        raise DomainError(ReportError.NO_PARENT, f"{org.name}没有上级组织，不向上报送年度学习总结和计划",
                          field="org", kind=ErrorKind.CONFLICT)
    if not org.is_active:
        raise DomainError(ReportError.NO_PARENT, f"组织 {code} 已撤销", field="org", kind=ErrorKind.CONFLICT)
    return org


def _editable(report: AnnualReport) -> None:
    if report.state == ReportState.SUBMITTED:
        raise DomainError(ReportError.LOCKED, f"{report.year} 年度报告已报送、等待上级审核，审核前不能修改",
                          kind=ErrorKind.CONFLICT)
    if report.state == ReportState.ACCEPTED:
        raise DomainError(ReportError.LOCKED, f"{report.year} 年度报告已通过审核，不能再修改", kind=ErrorKind.CONFLICT)


def _editable_report(org: Organization, year: int) -> AnnualReport:
    """The report to change, locked for this transaction: it must exist and not be waiting or accepted."""
    report = AnnualReport.objects.select_for_update().filter(org=org, year=year).first()
    if report is None:
        raise DomainError(ReportError.NOT_FOUND, f"{org.name}尚无 {year} 年度报告，请先生成草稿",
                          kind=ErrorKind.NOT_FOUND)
    _editable(report)
    return report


@transaction.atomic
def report_draft(*, actor: User | None, scope: Scope, org_code: str, year: int,
                 as_of: date | None = None) -> AnnualReport:
    """生成草稿: the four parts and the figures drafted afresh from the record (edits made before are replaced)."""
    today = as_of or timezone.localdate()
    check_year(year, today)
    org = _reporting_org(scope, org_code)
    report = AnnualReport.objects.select_for_update().filter(org=org, year=year).first()
    if report is not None:
        _editable(report)
    drafted = drafting.draft(scope=scope, org=org, year=year, as_of=today)
    now = timezone.now()
    values = {**drafted, "drafted_at": now, "updated_at": now, "updated_by": _actor_name(actor)}
    if report is None:
        report = AnnualReport.objects.create(org=org, year=year, **values)
    else:
        for name, value in values.items():
            setattr(report, name, value)
        report.save()
    audit_record(action="report_draft", actor=actor, object_type="annual_report", object_id=f"{org.code}/{year}",
                 object_repr=org.name, detail={"year": year})
    return report


@transaction.atomic
def report_save(*, actor: User | None, scope: Scope, org_code: str, year: int,
                changes: Mapping[str, Any]) -> AnnualReport:
    """The administrator's edits of the four parts."""
    refuse_unknown_fields(changes, SECTION_FIELDS, code=ReportError.INVALID)
    org = _reporting_org(scope, org_code)
    report = _editable_report(org, year)
    labels = dict(SECTIONS)
    for name, value in changes.items():
        if not isinstance(value, str):
            raise DomainError(ReportError.INVALID, f"{labels[name]}应为文字", field=name)
        if len(value) > SECTION_LIMIT:
            raise DomainError(ReportError.INVALID, f"{labels[name]}共 {len(value)} 字，超过 {SECTION_LIMIT} 字的上限",
                              field=name)
        setattr(report, name, value.strip())
    report.updated_at, report.updated_by = timezone.now(), _actor_name(actor)
    report.save()
    audit_record(action="report_save", actor=actor, object_type="annual_report", object_id=f"{org.code}/{year}",
                 object_repr=org.name, detail={"fields": sorted(changes)})
    return report


def _reviewers_of(org: Organization) -> set[int]:
    """Who is told of a submission: the parent's nearest administrators and the reviewers holding the organization."""
    parent_path = org.path[:-Organization.steplen]
    parent_id = Organization.objects.filter(path=parent_path).values_list("id", flat=True).first()
    users = set(nearest_admins([parent_id]).get(parent_id or 0, set())) if parent_id else set()
    reviewers = ScopeGrant.objects.filter(role=GrantRole.REVIEWER, user__is_active=True).values_list(
        "user_id", "org__path")
    users.update(user_id for user_id, path in reviewers if org.path.startswith(path))
    return users


@transaction.atomic
def report_submit(*, actor: User | None, scope: Scope, org_code: str, year: int,
                  now: datetime | None = None) -> ReportVersion:
    """报送: the draft as it stands becomes the next version, sent to the level above; its figures refreshed."""
    moment = now or timezone.now()
    org = _reporting_org(scope, org_code)
    report = _editable_report(org, year)
    empty = [label for name, label in SECTIONS if not getattr(report, name).strip()]
    if empty:
        raise DomainError(ReportError.INCOMPLETE, f"请先填写{'、'.join(empty)}再报送", field="basics")
    report.figures = drafting.figures_of(scope=scope, org=org, year=year,
                                         as_of=timezone.localtime(moment).date())
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    late = not reporting.on_time(moment, year)
    version = ReportVersion.objects.create(
        report=report, number=number, submitted_at=moment, submitted_by=_actor_name(actor), late=late,
        figures=report.figures, **{name: getattr(report, name) for name in SECTION_FIELDS})
    first = report.first_submitted_at is None
    if first:
        report.first_submitted_at = moment
    report.state = ReportState.SUBMITTED
    report.save()
    if first:
        dependents.subjects_changed(SubjectsChanged(org_years={(org.pk, year)}))
    notify(recipients=_reviewers_of(org), draft=Draft(
        kind=NotificationKind.REPORT_REVIEW, key=f"report-submitted:{report.pk}:{number}",
        title=f"{org.name}报送了 {year} 年度学习总结和计划（第 {number} 版）" + ("，逾期报送" if late else ""),
        body="请审核：通过，或提出意见退回修改。", link=reverse("web:report_detail", args=[org.code, year])))
    audit_record(action="report_submit", actor=actor, object_type="annual_report", object_id=f"{org.code}/{year}",
                 object_repr=org.name, detail={"version": number, "late": late})
    return version


@transaction.atomic
def report_decide(*, actor: User | None, scope: Scope, org_code: str, year: int, accept: bool,
                  comments: str = "") -> ReportVersion:
    """审核: the level above accepts the version sent, or returns it with comments for a new one."""
    org = access_org(scope=scope, code=org_code)
    if not may_review(scope, org):
        raise Forbidden(ReportError.FORBIDDEN, f"只有{org.name}的上级组织管理员和审阅人员可以审核其年度报告")
    report = AnnualReport.objects.select_for_update().filter(org=org, year=year).first()
    version = report.versions.order_by("-number").first() if report is not None else None
    if report is None or version is None or report.state != ReportState.SUBMITTED:
        raise DomainError(ReportError.NOTHING_TO_REVIEW, f"{org.name}的 {year} 年度报告没有待审核的版本",
                          kind=ErrorKind.CONFLICT)
    comments = comments.strip()
    if not accept and not comments:
        raise DomainError(ReportError.INVALID, "退回修改时请写明意见", field="comments")
    version.decision = Decision.ACCEPTED if accept else Decision.RETURNED
    version.comments, version.decided_at, version.decided_by = comments[:5000], timezone.now(), _actor_name(actor)
    ReportVersion.objects.filter(pk=version.pk, decision=Decision.PENDING).update(
        decision=version.decision, comments=version.comments, decided_at=version.decided_at,
        decided_by=version.decided_by)
    report.state = ReportState.ACCEPTED if accept else ReportState.RETURNED
    report.save(update_fields=["state"])
    outcome = "通过审核" if accept else "被退回修改"
    notify(recipients=set(nearest_admins([org.pk]).get(org.pk, set())), draft=Draft(
        kind=NotificationKind.REPORT_REVIEW, key=f"report-decided:{report.pk}:{version.number}",
        title=f"{org.name} {year} 年度学习总结和计划（第 {version.number} 版）{outcome}",
        body=comments or "上级已审核通过。", link=reverse("web:report_detail", args=[org.code, year])))
    audit_record(action="report_accept" if accept else "report_return", actor=actor, object_type="annual_report",
                 object_id=f"{org.code}/{year}", object_repr=org.name,
                 detail={"version": version.number, "comments": comments[:500]})
    return version
