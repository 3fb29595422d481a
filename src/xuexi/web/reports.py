"""年度学习总结和计划 pages: an organization's report drafted, edited, sent and decided on; the parent's inbox."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, NotFound
from xuexi.norms import reporting
from xuexi.orgs.access import access_org
from xuexi.reports import exporting, selectors, services
from xuexi.reports.errors import ReportError
from xuexi.reports.models import SECTIONS, ReportState
from xuexi.reports.selectors import InboxStatus

ROWS = {"basics": 12, "practices": 10, "problems": 8, "next_plan": 8}


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _year(request: HttpRequest) -> int:
    """The year asked for; by default last year, whose report is the one due this January."""
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year - 1


def _download(filename: str, data: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


class ReportForm(forms.Form):
    basics = forms.CharField(label="一、基本情况", required=False, max_length=services.SECTION_LIMIT,
                             widget=forms.Textarea(attrs={"rows": ROWS["basics"]}))
    practices = forms.CharField(label="二、主要做法和成效", required=False, max_length=services.SECTION_LIMIT,
                                widget=forms.Textarea(attrs={"rows": ROWS["practices"]}))
    problems = forms.CharField(label="三、存在问题和不足", required=False, max_length=services.SECTION_LIMIT,
                               widget=forms.Textarea(attrs={"rows": ROWS["problems"]}))
    next_plan = forms.CharField(label="四、下一年度学习计划", required=False, max_length=services.SECTION_LIMIT,
                                widget=forms.Textarea(attrs={"rows": ROWS["next_plan"]}))


class DecisionForm(forms.Form):
    comments = forms.CharField(label="审核意见", required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 3}), help_text="退回修改时必填")


@login_required
def org_reports(request: HttpRequest, code: str) -> HttpResponse:
    """An organization's reports year by year, and the way to its children's (报送情况)."""
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    reports = list(selectors.reports_of(scope=scope, org=org))
    now = timezone.now()
    rows = [(report, *selectors.status_of(report, report.year, now)) for report in reports]
    this_year = timezone.localdate().year
    return render(request, "web/reports/list.html", {
        "org": org, "rows": [(r, InboxStatus(s).label, late) for r, s, late in rows],
        "years": range(this_year, this_year - 6, -1), "due_year": this_year - 1,
        "may_write": scope.covers_path(org.path, write=True) and org.depth > 1,
    })


def _detail_page(request: HttpRequest, code: str, year: int, *, form: ReportForm | None = None,
                 decision_form: DecisionForm | None = None, status: int = 200) -> HttpResponse:
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    report = selectors.report_for(scope=scope, org=org, year=year)
    state, late = selectors.status_of(report, year, timezone.now())
    may_write = scope.covers_path(org.path, write=True) and org.depth > 1
    editable = may_write and (report is None or report.state in (ReportState.DRAFT, ReportState.RETURNED))
    if form is None and report is not None:
        form = ReportForm(initial={name: getattr(report, name) for name, _ in SECTIONS})
    versions = list(selectors.versions_of(report)) if report is not None else []
    reviewing = (report is not None and report.state == ReportState.SUBMITTED
                 and services.may_review(scope, org))
    return render(request, "web/reports/detail.html", {
        "org": org, "year": year, "report": report, "status_label": InboxStatus(state).label, "late": late,
        "deadline": reporting.deadline_of(year), "form": form if editable else None, "may_write": may_write,
        "editable": editable, "versions": versions, "reviewing": reviewing,
        "decision_form": decision_form or DecisionForm(), "sections": SECTIONS,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The report on a year: generate the draft, edit, send it up; the level above accepts or returns it."""
    if request.method != "POST":
        return _detail_page(request, code, year)
    scope = _scope(request)
    action = request.POST.get("action", "")
    actor = request.user
    try:
        if action == "draft":
            services.report_draft(actor=actor, scope=scope, org_code=code, year=year)  # type: ignore[arg-type]
            messages.success(request, "已根据平台记录生成草稿，请修改完善后报送。")
        elif action in ("save", "submit"):
            form = ReportForm(request.POST)
            if not form.is_valid():
                return _detail_page(request, code, year, form=form, status=200)
            services.report_save(actor=actor, scope=scope, org_code=code, year=year,  # type: ignore[arg-type]
                                 changes=form.cleaned_data)
            if action == "submit":
                version = services.report_submit(actor=actor, scope=scope, org_code=code,  # type: ignore[arg-type]
                                                 year=year)
                messages.success(request, f"已报送第 {version.number} 版" + ("（逾期）。" if version.late else "。"))
            else:
                messages.success(request, "已保存。")
        elif action in ("accept", "return"):
            decision_form = DecisionForm(request.POST)
            if not decision_form.is_valid():
                return _detail_page(request, code, year, decision_form=decision_form)
            services.report_decide(actor=actor, scope=scope, org_code=code, year=year,  # type: ignore[arg-type]
                                   accept=action == "accept", comments=decision_form.cleaned_data["comments"])
            messages.success(request, "已通过。" if action == "accept" else "已退回修改。")
        else:
            raise NotFound(ReportError.INVALID, "页面不存在")
    except DomainError as exc:
        if exc.kind in (ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND):
            raise
        messages.error(request, exc.detail)
        return _detail_page(request, code, year,
                            form=ReportForm(request.POST) if action in ("save", "submit") else None)
    return redirect("web:report_detail", code, year)


@login_required
def report_version(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    """A version as it was sent, with the decision on it."""
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    report = selectors.report_for(scope=scope, org=org, year=year)
    version = report.versions.filter(number=number).first() if report is not None else None
    if version is None:
        raise NotFound(ReportError.NOT_FOUND, f"{org.name} {year} 年度报告没有第 {number} 版")
    return render(request, "web/reports/version.html", {"org": org, "year": year, "version": version,
                                                         "sections": SECTIONS})


@login_required
def report_export(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The report as Word (GB/T 9704): the draft, or `?version=` as sent."""
    raw = request.GET.get("version", "")
    version = int(raw) if raw.isdigit() else None
    filename, data = exporting.report_export(actor=request.user, scope=_scope(request),  # type: ignore[arg-type]
                                             org_code=code, year=year, version=version)
    return _download(filename, data, exporting.DOCX)


@login_required
def report_inbox(request: HttpRequest, code: str) -> HttpResponse:
    """报送情况: the children's reports on a year, by status; the compilation (汇总) as Word or Excel."""
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    year = _year(request)
    file_format = request.GET.get("format", "")
    if file_format:
        filename, data = exporting.compilation_export(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                                      org_code=code, year=year, file_format=file_format)
        return _download(filename, data, exporting.DOCX if file_format == "docx" else exporting.XLSX)
    everyone = selectors.inbox(scope=scope, parent=org, year=year, now=timezone.now())
    status = request.GET.get("status", "")
    rows = [row for row in everyone if not status or row.status == status
            or (status == InboxStatus.LATE and row.late)]
    this_year = timezone.localdate().year
    return render(request, "web/reports/inbox.html", {
        "org": org, "year": year, "rows": rows, "counts": selectors.inbox_counts(everyone), "status": status,
        "statuses": InboxStatus.choices, "years": range(this_year, this_year - 6, -1),
        "deadline": reporting.deadline_of(year),
    })
