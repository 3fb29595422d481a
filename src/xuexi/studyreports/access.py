"""The chokepoints for study reports and calls, on someone's behalf.

Who sees a report: its author, and, once it was submitted, those whose read scope holds the
organization it belongs to (a draft is its author's alone). Only the author writes and submits it;
the administrators of its organization or an ancestor return or review it; reviewers (审阅) only read.
"""

from __future__ import annotations

from django.db.models import Q

from xuexi.accounts.scope import Scope
from xuexi.errors import Forbidden, NotFound
from xuexi.studyreports.errors import StudyReportError
from xuexi.studyreports.models import Status, StudyReport, StudyReportCall


def report_q(scope: Scope) -> Q:
    """Q for the reports the scope sees: its own, and the submitted ones of its organizations."""
    condition = scope.org_q("org__") & ~Q(status=Status.DRAFT)
    if scope.person_id is not None:
        condition |= Q(person_id=scope.person_id)
    return condition


def may_review(scope: Scope, report: StudyReport) -> bool:
    """Administrators of the report's organization or an ancestor; never the author on their own report."""
    return scope.covers_path(report.org.path, write=True) and report.person_id != scope.person_id


def access_study_report(*, scope: Scope, report_id: int, write: bool = False,
                        review: bool = False) -> StudyReport:
    """A report the scope sees; outside it answers as a missing one. Writing is the author's, reviewing the admins'."""
    scope.require_business_data()
    report = (StudyReport.objects.select_related("person", "org", "call")
              .filter(report_q(scope), pk=report_id).first())
    if report is None:
        raise NotFound(StudyReportError.NOT_FOUND, "述学报告不存在")
    if write and report.person_id != scope.person_id:
        raise Forbidden(StudyReportError.NOT_YOURS, "述学报告只能由本人撰写和提交，您只能查看")
    if review and not may_review(scope, report):
        raise Forbidden(StudyReportError.FORBIDDEN,
                        f"只有{report.org.name}及其上级组织的管理员可以退回或评阅这份述学报告，您只能查看")
    return report


def access_call(*, scope: Scope, call_id: int, write: bool = False) -> StudyReportCall:
    """A call of an organization the scope sees; changing it is for the administrators of that organization."""
    scope.require_business_data()
    call = StudyReportCall.objects.select_related("org").filter(scope.org_q("org__"), pk=call_id).first()
    if call is None:
        raise NotFound(StudyReportError.CALL_NOT_FOUND, "述学安排不存在")
    if write and not scope.covers_path(call.org.path, write=True):
        raise Forbidden(StudyReportError.READ_ONLY, f"述学安排由{call.org.name}作出，您只能查看")
    return call
