"""Writes of 述学: calls made by an organization, reports written and submitted by the person themself,
returned or reviewed by the administrators of the report's organization or above; all audited.

A report's text is its author's until submitted; a returned report is mended and submitted again,
and a reviewed one never changes. Every submission, return and review is kept as an event.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, Forbidden, refuse_unknown_fields
from xuexi.notices.models import NotificationKind
from xuexi.notices.services import Draft, nearest_admins, notify
from xuexi.orgs.access import access_org
from xuexi.people.models import Person
from xuexi.studyreports import selectors
from xuexi.studyreports.access import access_call, access_study_report
from xuexi.studyreports.errors import StudyReportError
from xuexi.studyreports.models import (
    Audience,
    EventAction,
    Period,
    Rating,
    Status,
    StudyReport,
    StudyReportCall,
    StudyReportEvent,
)

FIRST_YEAR = 2000
TITLE_LIMIT = 200
BODY_LIMIT = 20_000  # characters: a study report is a few thousand
COMMENT_LIMIT = 5_000
CALL_FIELDS = ("title", "note", "due_date")
REPORT_FIELDS = ("title", "body")


def _actor_name(actor: User | None) -> str:
    return (actor.display_name or actor.username) if actor is not None else "xuexi"


def _check_year(year: int, latest: int) -> None:
    if not FIRST_YEAR <= year <= latest:
        raise DomainError(StudyReportError.INVALID, f"年度 {year} 无效，应为 {FIRST_YEAR} 到 {latest} 之间",
                          field="year")


def _check_period(period: str) -> None:
    if period not in Period.values:
        raise DomainError(StudyReportError.INVALID, f"期间“{period}”无效，应为{'、'.join(Period.values)}之一",
                          field="period")


def _text(name: str, label: str, value: object, limit: int, *, required: bool = True) -> str:
    if not isinstance(value, str):
        raise DomainError(StudyReportError.INVALID, f"{label}应为文字", field=name)
    value = value.strip()
    if required and not value:
        raise DomainError(StudyReportError.INVALID, f"请填写{label}", field=name)
    if len(value) > limit:
        raise DomainError(StudyReportError.INVALID, f"{label}共 {len(value)} 字，超过 {limit} 字的上限", field=name)
    return value


def _repr(report: StudyReport) -> str:
    return f"{report.person.name} {report.year} 年{report.period}述学报告"


def _link(report: StudyReport) -> str:
    return reverse("web:study_report_detail", args=[report.pk])


# -- calls ---------------------------------------------------------------------------------------

@transaction.atomic
def call_create(*, actor: User | None, scope: Scope, org_code: str, year: int, period: str, who: str,
                due_date: date, title: str, note: str = "") -> StudyReportCall:
    """述学安排: ask the people of an organization's subtree to report on a period by a date."""
    org = access_org(scope=scope, code=org_code, write=True)
    _check_year(year, timezone.localdate().year + 1)
    _check_period(period)
    if who not in Audience.values:
        raise DomainError(StudyReportError.INVALID, f"述学对象“{who}”无效，应为{'、'.join(Audience.values)}之一",
                          field="who")
    if not isinstance(due_date, date) or due_date.year < year:
        raise DomainError(StudyReportError.INVALID, f"截止日期 {due_date} 无效，应不早于 {year} 年", field="due_date")
    call = StudyReportCall(org=org, year=year, period=period, who=who, due_date=due_date,
                           title=_text("title", "标题", title, TITLE_LIMIT),
                           note=_text("note", "说明", note, COMMENT_LIMIT, required=False),
                           created_by=_actor_name(actor))
    try:
        with transaction.atomic():
            call.save()
    except IntegrityError:
        raise DomainError(StudyReportError.CALL_TAKEN,
                          f"{org.name}已有 {year} 年{period}对{who}的述学安排，请修改原安排",
                          field="period", kind=ErrorKind.CONFLICT) from None
    audit_record(action="study_report_call_create", actor=actor, object_type="study_report_call",
                 object_id=str(call.pk), object_repr=call.title,
                 detail={"org": org.code, "year": year, "period": period, "who": who,
                         "due_date": due_date.isoformat()})
    return call


@transaction.atomic
def call_update(*, actor: User | None, scope: Scope, call_id: int, changes: Mapping[str, Any]) -> StudyReportCall:
    """Change a call's title, note or due date (what it asks of whom stays: reports already follow it)."""
    refuse_unknown_fields(changes, CALL_FIELDS, code=StudyReportError.INVALID)
    call = access_call(scope=scope, call_id=call_id, write=True)
    if "title" in changes:
        call.title = _text("title", "标题", changes["title"], TITLE_LIMIT)
    if "note" in changes:
        call.note = _text("note", "说明", changes["note"], COMMENT_LIMIT, required=False)
    if "due_date" in changes:
        due = changes["due_date"]
        if not isinstance(due, date) or due.year < call.year:
            raise DomainError(StudyReportError.INVALID, f"截止日期 {due} 无效，应不早于 {call.year} 年",
                              field="due_date")
        call.due_date = due
    call.save(update_fields=["title", "note", "due_date"])
    audit_record(action="study_report_call_update", actor=actor, object_type="study_report_call",
                 object_id=str(call.pk), object_repr=call.title, detail={"fields": sorted(changes)})
    return call


# -- the author's side -----------------------------------------------------------------------------

def _author(scope: Scope) -> Person:
    scope.require_business_data()
    person = (Person.objects.select_related("org").filter(pk=scope.person_id, is_active=True).first()
              if scope.person_id is not None else None)
    if person is None:
        raise Forbidden(StudyReportError.NO_PERSON, "只有关联了本人党员信息的账户可以撰写述学报告")
    return person


def _editable(report: StudyReport) -> None:
    if report.status == Status.SUBMITTED:
        raise DomainError(StudyReportError.LOCKED, "述学报告已提交、等待评阅，不能修改", kind=ErrorKind.CONFLICT)
    if report.status == Status.REVIEWED:
        raise DomainError(StudyReportError.LOCKED, "述学报告已评阅，不能再修改", kind=ErrorKind.CONFLICT)


@transaction.atomic
def study_report_save(*, actor: User | None, scope: Scope, year: int, period: str, title: str, body: str,
                      call_id: int | None = None) -> StudyReport:
    """Write or rewrite one's own report on a period (a draft, or a returned report being mended)."""
    person = _author(scope)
    _check_year(year, timezone.localdate().year)
    _check_period(period)
    title = _text("title", "标题", title, TITLE_LIMIT)
    body = _text("body", "内容", body, BODY_LIMIT, required=False)
    if call_id is not None:
        call = selectors.calls_for_person(person).filter(pk=call_id).first()
        if call is None or (call.year, call.period) != (year, period):
            raise DomainError(StudyReportError.INVALID, f"述学安排 {call_id} 不存在或不是对您 {year} 年{period}的安排",
                              field="call")
    else:
        call = selectors.call_for(person, year, period)
    report = StudyReport.objects.select_for_update().filter(person=person, year=year, period=period).first()
    now = timezone.now()
    if report is None:
        report = StudyReport.objects.create(person=person, org=person.org, call=call, year=year, period=period,
                                            title=title, body=body, created_at=now, updated_at=now)
        action = "study_report_create"
    else:
        _editable(report)
        report.title, report.body, report.updated_at = title, body, now
        report.call = call or report.call
        report.save(update_fields=["title", "body", "updated_at", "call"])
        action = "study_report_save"
    audit_record(action=action, actor=actor, object_type="study_report", object_id=str(report.pk),
                 object_repr=_repr(report), detail={"year": year, "period": period})
    return report


@transaction.atomic
def study_report_edit(*, actor: User | None, scope: Scope, report_id: int,
                      changes: Mapping[str, Any]) -> StudyReport:
    """Change the title or text of one's own draft or returned report."""
    refuse_unknown_fields(changes, REPORT_FIELDS, code=StudyReportError.INVALID)
    report = access_study_report(scope=scope, report_id=report_id, write=True)
    report = StudyReport.objects.select_for_update().select_related("person", "org").get(pk=report.pk)
    _editable(report)
    if "title" in changes:
        report.title = _text("title", "标题", changes["title"], TITLE_LIMIT)
    if "body" in changes:
        report.body = _text("body", "内容", changes["body"], BODY_LIMIT, required=False)
    report.updated_at = timezone.now()
    report.save(update_fields=["title", "body", "updated_at"])
    audit_record(action="study_report_save", actor=actor, object_type="study_report", object_id=str(report.pk),
                 object_repr=_repr(report), detail={"fields": sorted(changes)})
    return report


@transaction.atomic
def study_report_submit(*, actor: User | None, scope: Scope, report_id: int,
                        now: datetime | None = None) -> StudyReport:
    """提交: one's own report goes to one's organization for review, as it stands (kept as an event)."""
    moment = now or timezone.now()
    report = access_study_report(scope=scope, report_id=report_id, write=True)
    report = StudyReport.objects.select_for_update().select_related("person__org", "org").get(pk=report.pk)
    _editable(report)
    if not report.body.strip():
        raise DomainError(StudyReportError.INCOMPLETE, "请先填写述学报告的内容再提交", field="body")
    # Reviewed where the person stands now, should they have moved since writing.
    report.org = report.person.org
    report.status, report.submitted_at = Status.SUBMITTED, moment
    report.save(update_fields=["org", "status", "submitted_at"])
    StudyReportEvent.objects.create(report=report, action=EventAction.SUBMITTED, at=moment,
                                    actor_name=_actor_name(actor), title=report.title, body=report.body)
    submissions = report.events.filter(action=EventAction.SUBMITTED).count()
    recipients = set(nearest_admins([report.org_id]).get(report.org_id, set())) - {getattr(actor, "pk", None)}
    notify(recipients={r for r in recipients if r is not None}, draft=Draft(
        kind=NotificationKind.STUDY_REPORT, key=f"study-report-submitted:{report.pk}:{submissions}",
        title=f"{report.person.name}提交了 {report.year} 年{report.period}述学报告",
        body=f"{report.org.name}：请评阅（评定等次并写明意见），或写明意见退回修改。", link=_link(report)))
    audit_record(action="study_report_submit", actor=actor, object_type="study_report", object_id=str(report.pk),
                 object_repr=_repr(report), detail={"submission": submissions})
    return report


# -- the reviewing side ------------------------------------------------------------------------------

def _waiting(scope: Scope, report_id: int) -> StudyReport:
    report = access_study_report(scope=scope, report_id=report_id, review=True)
    report = StudyReport.objects.select_for_update().select_related("person", "org").get(pk=report.pk)
    if report.status != Status.SUBMITTED:
        raise DomainError(StudyReportError.NOTHING_TO_REVIEW,
                          f"{_repr(report)}当前为“{report.get_status_display()}”，没有待评阅的提交",
                          kind=ErrorKind.CONFLICT)
    return report


def _tell_author(report: StudyReport, key: str, title: str, body: str) -> None:
    accounts = User.objects.filter(person_id=report.person_id, is_active=True).values_list("pk", flat=True)
    notify(recipients=list(accounts), draft=Draft(kind=NotificationKind.STUDY_REPORT, key=key, title=title,
                                                  body=body, link=_link(report)))


@transaction.atomic
def study_report_return(*, actor: User | None, scope: Scope, report_id: int, comment: str) -> StudyReport:
    """退回: the report goes back to its author with the reasons, to be mended and submitted again."""
    report = _waiting(scope, report_id)
    comment = _text("comment", "退回意见", comment, COMMENT_LIMIT)
    now = timezone.now()
    report.status, report.comment = Status.RETURNED, comment
    report.save(update_fields=["status", "comment"])
    event = StudyReportEvent.objects.create(report=report, action=EventAction.RETURNED, at=now,
                                            actor_name=_actor_name(actor), comment=comment)
    _tell_author(report, f"study-report-returned:{report.pk}:{event.pk}",
                 f"您的 {report.year} 年{report.period}述学报告被退回修改", comment)
    audit_record(action="study_report_return", actor=actor, object_type="study_report", object_id=str(report.pk),
                 object_repr=_repr(report), detail={"comment": comment[:500]})
    return report


@transaction.atomic
def study_report_review(*, actor: User | None, scope: Scope, report_id: int, rating: str,
                        comment: str = "") -> StudyReport:
    """评阅: the report is rated and commented on, and no longer changes."""
    report = _waiting(scope, report_id)
    if rating not in Rating.values:
        raise DomainError(StudyReportError.INVALID, f"评阅等次“{rating}”无效，应为{'、'.join(Rating.values)}之一",
                          field="rating")
    comment = _text("comment", "评阅意见", comment, COMMENT_LIMIT, required=False)
    now = timezone.now()
    report.status, report.rating, report.comment = Status.REVIEWED, rating, comment
    report.reviewed_at, report.reviewed_by = now, _actor_name(actor)
    report.save(update_fields=["status", "rating", "comment", "reviewed_at", "reviewed_by"])
    StudyReportEvent.objects.create(report=report, action=EventAction.REVIEWED, at=now,
                                    actor_name=report.reviewed_by, comment=comment, rating=rating)
    _tell_author(report, f"study-report-reviewed:{report.pk}",
                 f"您的 {report.year} 年{report.period}述学报告已评阅：{rating}", comment or "评阅人未写意见。")
    audit_record(action="study_report_review", actor=actor, object_type="study_report", object_id=str(report.pk),
                 object_repr=_repr(report), detail={"rating": rating, "comment": comment[:500]})
    return report
