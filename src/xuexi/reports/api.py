"""年度学习总结和计划 over HTTP: a report with its versions, drafting, editing, submitting, deciding; the inbox."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind
from xuexi.norms import reporting
from xuexi.orgs.access import access_org
from xuexi.reports import selectors, services
from xuexi.reports.errors import ReportError
from xuexi.reports.models import AnnualReport
from xuexi.reports.schemas import DecisionIn, InboxOut, InboxRowOut, ReportIn, ReportOut, ReportVersionOut

router = Router(tags=["年度学习总结和计划"])


class InboxQuery(Schema):
    org: str = Field(description="上级组织编码：列出其直属下级的报送情况")
    year: int = Field(ge=2000, le=2100)


def _scope(request: HttpRequest) -> Scope:
    return Scope.for_user(request.auth)  # type: ignore[attr-defined]


def _out(report: AnnualReport) -> ReportOut:
    status, late = selectors.status_of(report, report.year, timezone.now())
    return ReportOut(
        org=report.org.code, org_name=report.org.name, year=report.year, state=report.state, status=status,
        late=late, deadline=reporting.deadline_of(report.year), first_submitted_at=report.first_submitted_at,
        basics=report.basics, practices=report.practices, problems=report.problems, next_plan=report.next_plan,
        figures=report.figures, updated_at=report.updated_at, updated_by=report.updated_by,
        versions=[ReportVersionOut(
            number=v.number, submitted_at=v.submitted_at, submitted_by=v.submitted_by, late=v.late,
            decision=v.decision, comments=v.comments, decided_at=v.decided_at, decided_by=v.decided_by,
            basics=v.basics, practices=v.practices, problems=v.problems, next_plan=v.next_plan)
            for v in selectors.versions_of(report)])


def _report(scope: Scope, org_code: str, year: int) -> ReportOut:
    org = access_org(scope=scope, code=org_code)
    report = selectors.report_for(scope=scope, org=org, year=year)
    if report is None:
        raise DomainError(ReportError.NOT_FOUND, f"{org.name}尚无 {year} 年度报告", kind=ErrorKind.NOT_FOUND)
    return _out(report)


@router.get("/reports/inbox", response=InboxOut, summary="下级报送情况（直属下级的年度报告及状态）")
def report_inbox(request: HttpRequest, query: Query[InboxQuery]) -> InboxOut:
    scope = _scope(request)
    parent = access_org(scope=scope, code=query.org)
    rows = selectors.inbox(scope=scope, parent=parent, year=query.year, now=timezone.now())
    return InboxOut(org=parent.code, year=query.year, deadline=reporting.deadline_of(query.year),
                    counts=selectors.inbox_counts(rows), items=[InboxRowOut(
                        org=row.org.code, org_name=row.org.name, status=row.status, late=row.late,
                        first_submitted_at=row.report.first_submitted_at if row.report else None,
                        versions=row.versions) for row in rows])


@router.get("/reports/{org}/{year}", response=ReportOut, summary="一个组织某年度的报告（含报送的每一版）")
def report_detail(request: HttpRequest, org: str, year: int) -> ReportOut:
    return _report(_scope(request), org, year)


@router.post("/reports/{org}/{year}/draft", response={201: ReportOut},
             summary="根据平台记录生成（或重新生成）草稿，覆盖未报送的内容")
def report_draft(request: HttpRequest, org: str, year: int) -> tuple[int, ReportOut]:
    report = services.report_draft(actor=request.auth, scope=_scope(request), org_code=org,  # type: ignore[attr-defined]
                                   year=year)
    return 201, _out(report)


@router.put("/reports/{org}/{year}", response=ReportOut, summary="修改草稿（只写要改的部分）")
def report_save(request: HttpRequest, org: str, year: int, payload: ReportIn) -> ReportOut:
    report = services.report_save(actor=request.auth, scope=_scope(request), org_code=org,  # type: ignore[attr-defined]
                                  year=year, changes=payload.model_dump(exclude_none=True))
    return _out(report)


@router.post("/reports/{org}/{year}/submit", response={201: ReportOut}, summary="把当前稿作为新的一版报送上级")
def report_submit(request: HttpRequest, org: str, year: int) -> tuple[int, ReportOut]:
    scope = _scope(request)
    services.report_submit(actor=request.auth, scope=scope, org_code=org, year=year)  # type: ignore[attr-defined]
    return 201, _report(scope, org, year)


@router.post("/reports/{org}/{year}/decision", response=ReportOut, summary="上级审核：通过，或写明意见退回修改")
def report_decide(request: HttpRequest, org: str, year: int, payload: DecisionIn) -> ReportOut:
    scope = _scope(request)
    services.report_decide(actor=request.auth, scope=scope, org_code=org, year=year,  # type: ignore[attr-defined]
                           accept=payload.accept, comments=payload.comments)
    return _report(scope, org, year)
