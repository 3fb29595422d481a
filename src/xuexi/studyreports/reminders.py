"""The reminders of 述学 for `xuexi remind`: a week and a day before a call's due date, each person it asks
who has an account and has not submitted a report on the period yet."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse

from xuexi.accounts.models import User
from xuexi.notices.models import NotificationKind
from xuexi.notices.services import Draft
from xuexi.studyreports.models import StudyReport, StudyReportCall
from xuexi.studyreports.selectors import REPORTED, audience_q

DAYS_BEFORE = (7, 1)


def study_report_reminders(as_of: date) -> Iterator[tuple[int, Draft]]:
    """For each call due in a week or tomorrow: the accounts of the people it asks who have not reported."""
    due_days = [as_of + timedelta(days=days) for days in DAYS_BEFORE]
    calls = StudyReportCall.objects.filter(due_date__in=due_days, org__is_active=True).select_related("org")
    for call in calls.order_by("due_date", "id"):
        days = (call.due_date - as_of).days
        sent = StudyReport.objects.filter(person=OuterRef("person_id"), year=call.year, period=call.period,
                                          status__in=REPORTED)
        accounts = (User.objects.filter(audience_q(call.who, "person__"), is_active=True, person__is_active=True,
                                        person__org__path__startswith=call.org.path)
                    .filter(~Exists(sent)).order_by("id").values_list("id", flat=True))
        draft = Draft(
            kind=NotificationKind.STUDY_REPORT, key=f"study-report-due:{call.pk}:{call.due_date.isoformat()}:{days}",
            title=f"{call.title}：述学报告将于 {call.due_date.isoformat()} 截止（还有 {days} 天）",
            body=(f"{call.org.name}安排{call.who}提交 {call.year} 年{call.period}述学报告，截止日期 "
                  f"{call.due_date.isoformat()}。您尚未提交，请在“我的述学”中撰写并提交。"),
            link=reverse("web:my_study_reports"))
        for user_id in accounts.iterator(chunk_size=2000):
            yield user_id, draft
