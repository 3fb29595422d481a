"""述学 over HTTP under /api/study-reports: one's own reports, an organization's inbox, review, calls, coverage."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from xuexi.accounts.scope import Scope
from xuexi.orgs.access import access_org
from xuexi.pagination import paginate
from xuexi.studyreports import selectors, services
from xuexi.studyreports.access import access_study_report
from xuexi.studyreports.exporting import check_choices
from xuexi.studyreports.models import Audience, StudyReport, StudyReportCall
from xuexi.studyreports.schemas import (
    CallEditIn,
    CallIn,
    CallOut,
    CoverageOut,
    CoverageRowOut,
    EventOut,
    ReturnIn,
    ReviewIn,
    StudyReportEditIn,
    StudyReportIn,
    StudyReportListOut,
    StudyReportOut,
    StudyReportRowOut,
)

router = Router(tags=["述学"])


class ListQuery(Schema):
    org: str = Field(default="", description="组织编码：列出其下（含本级）已提交的述学报告；不填则列出本人的")
    year: int | None = Field(default=None, ge=2000, le=2100)
    period: str = ""
    status: str = ""
    page: int = Field(default=1, ge=1)
    size: int = Field(default=50, ge=1, le=500)


class CallQuery(Schema):
    org: str = Field(description="组织编码：本级、下级作出的和上级对其作出的述学安排")


class CoverageQuery(Schema):
    org: str = Field(description="组织编码：按其直属下级统计")
    year: int = Field(ge=2000, le=2100)
    period: str = Field(description="年度、上半年或下半年")
    who: str = Field(default=Audience.LEADING_CADRES, description="领导干部或全体党员")
    call: int | None = Field(default=None, description="述学安排编号：只统计该安排所及的组织")


def _scope(request: HttpRequest) -> Scope:
    return Scope.for_user(request.auth)  # type: ignore[attr-defined]


def _out(report: StudyReport) -> StudyReportOut:
    return StudyReportOut(
        id=report.pk, person=report.person.number, person_name=report.person.name, org=report.org.code,
        org_name=report.org.name, call=report.call_id, year=report.year, period=report.period, title=report.title,
        body=report.body, status=report.status, submitted_at=report.submitted_at, reviewed_at=report.reviewed_at,
        reviewed_by=report.reviewed_by, rating=report.rating, comment=report.comment,
        events=[EventOut(action=e.action, at=e.at, actor_name=e.actor_name, title=e.title, body=e.body,
                         comment=e.comment, rating=e.rating) for e in selectors.events_of(report)])


def _row(report: StudyReport) -> StudyReportRowOut:
    return StudyReportRowOut(id=report.pk, person=report.person.number, person_name=report.person.name,
                             org=report.org.code, org_name=report.org.name, year=report.year, period=report.period,
                             title=report.title, status=report.status, submitted_at=report.submitted_at,
                             rating=report.rating)


def _call_out(call: StudyReportCall) -> CallOut:
    return CallOut(id=call.pk, org=call.org.code, org_name=call.org.name, year=call.year, period=call.period,
                   who=call.who, due_date=call.due_date, title=call.title, note=call.note, created_by=call.created_by,
                   created_at=call.created_at)


def _fresh(scope: Scope, report_id: int) -> StudyReportOut:
    return _out(access_study_report(scope=scope, report_id=report_id))


@router.get("/study-reports", response=StudyReportListOut, summary="述学报告列表：某组织其下已提交的，或本人的")
def study_report_list(request: HttpRequest, query: Query[ListQuery]) -> StudyReportListOut:
    scope = _scope(request)
    if query.org:
        org = access_org(scope=scope, code=query.org)
        reports = selectors.inbox(scope=scope, org=org, year=query.year, period=query.period, status=query.status)
    else:
        reports = selectors.my_reports(scope=scope)
        if query.year is not None:
            reports = reports.filter(year=query.year)
    counts = selectors.report_counts(reports)
    page = paginate(reports, page=query.page, page_size=query.size)
    return StudyReportListOut(count=page.count, counts=counts, items=[_row(r) for r in page.items])


@router.post("/study-reports", response={201: StudyReportOut}, summary="撰写（或改写）本人某期间的述学报告草稿")
def study_report_save(request: HttpRequest, payload: StudyReportIn) -> tuple[int, StudyReportOut]:
    scope = _scope(request)
    report = services.study_report_save(actor=request.auth, scope=scope, year=payload.year,  # type: ignore[attr-defined]
                                        period=payload.period, title=payload.title, body=payload.body,
                                        call_id=payload.call)
    return 201, _fresh(scope, report.pk)


@router.get("/study-reports/calls", response=list[CallOut], summary="述学安排：本级、下级作出的和上级对其作出的")
def call_list(request: HttpRequest, query: Query[CallQuery]) -> list[CallOut]:
    scope = _scope(request)
    org = access_org(scope=scope, code=query.org)
    return [_call_out(c) for c in selectors.calls_of(scope=scope, org=org)]


@router.post("/study-reports/calls", response={201: CallOut}, summary="作出述学安排（组织管理员）")
def call_create(request: HttpRequest, payload: CallIn) -> tuple[int, CallOut]:
    call = services.call_create(actor=request.auth, scope=_scope(request), org_code=payload.org,  # type: ignore[attr-defined]
                                year=payload.year, period=payload.period, who=payload.who, due_date=payload.due_date,
                                title=payload.title, note=payload.note)
    return 201, _call_out(call)


@router.put("/study-reports/calls/{call_id}", response=CallOut, summary="修改述学安排的标题、说明或截止日期")
def call_update(request: HttpRequest, call_id: int, payload: CallEditIn) -> CallOut:
    call = services.call_update(actor=request.auth, scope=_scope(request), call_id=call_id,  # type: ignore[attr-defined]
                                changes=payload.model_dump(exclude_none=True))
    return _call_out(call)


@router.get("/study-reports/coverage", response=CoverageOut,
            summary="述学情况：按直属下级统计应述学、已提交、已评阅、未提交")
def coverage(request: HttpRequest, query: Query[CoverageQuery]) -> CoverageOut:
    scope = _scope(request)
    check_choices(query.period, query.who)
    org = access_org(scope=scope, code=query.org)
    within = ""
    if query.call is not None:
        within = selectors.call_concerning(scope=scope, org=org, call_id=query.call).org.path
    result = selectors.coverage(scope=scope, org=org, year=query.year, period=query.period, who=query.who,
                                within=within)

    def row_out(row: selectors.CoverageRow) -> CoverageRowOut:
        return CoverageRowOut(org=row.org.code, org_name=row.org.name, own=row.own, expected=row.expected,
                              reported=row.reported, reviewed=row.reviewed, not_reported=row.not_reported)

    return CoverageOut(org=org.code, year=query.year, period=query.period, who=query.who,
                       total=row_out(result.total), items=[row_out(row) for row in result.rows])


@router.get("/study-reports/{report_id}", response=StudyReportOut, summary="一份述学报告及其提交、退回、评阅记录")
def study_report_detail(request: HttpRequest, report_id: int) -> StudyReportOut:
    return _fresh(_scope(request), report_id)


@router.put("/study-reports/{report_id}", response=StudyReportOut, summary="修改本人的草稿或被退回的报告")
def study_report_edit(request: HttpRequest, report_id: int, payload: StudyReportEditIn) -> StudyReportOut:
    scope = _scope(request)
    services.study_report_edit(actor=request.auth, scope=scope, report_id=report_id,  # type: ignore[attr-defined]
                               changes=payload.model_dump(exclude_none=True))
    return _fresh(scope, report_id)


@router.post("/study-reports/{report_id}/submit", response=StudyReportOut, summary="提交本人的述学报告，交所在组织评阅")
def study_report_submit(request: HttpRequest, report_id: int) -> StudyReportOut:
    scope = _scope(request)
    services.study_report_submit(actor=request.auth, scope=scope, report_id=report_id)  # type: ignore[attr-defined]
    return _fresh(scope, report_id)


@router.post("/study-reports/{report_id}/return", response=StudyReportOut, summary="写明意见退回修改（组织管理员）")
def study_report_return(request: HttpRequest, report_id: int, payload: ReturnIn) -> StudyReportOut:
    scope = _scope(request)
    services.study_report_return(actor=request.auth, scope=scope, report_id=report_id,  # type: ignore[attr-defined]
                                 comment=payload.comment)
    return _fresh(scope, report_id)


@router.post("/study-reports/{report_id}/review", response=StudyReportOut,
             summary="评阅：评定等次并写明意见（组织管理员）")
def study_report_review(request: HttpRequest, report_id: int, payload: ReviewIn) -> StudyReportOut:
    scope = _scope(request)
    services.study_report_review(actor=request.auth, scope=scope, report_id=report_id,  # type: ignore[attr-defined]
                                 rating=payload.rating, comment=payload.comment)
    return _fresh(scope, report_id)

