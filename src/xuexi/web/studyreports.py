"""述学 pages: 我的述学 (write, submit, read the review), one report (and its review), an organization's 述学
page (calls, coverage by child with the people not reported, the inbox) and the exports."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, Forbidden, NotFound
from xuexi.orgs.access import access_org
from xuexi.orgs.models import Organization
from xuexi.pagination import page_number, paginate
from xuexi.people.models import Person
from xuexi.studyreports import exporting, selectors, services
from xuexi.studyreports.access import access_study_report, may_review
from xuexi.studyreports.errors import StudyReportError
from xuexi.studyreports.models import Audience, Period, Rating, Status, StudyReportCall

MISSING_PAGE = 100


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _download(filename: str, data: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _years() -> range:
    this_year = timezone.localdate().year
    return range(this_year, this_year - 6, -1)


class WriteForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=())
    period = forms.ChoiceField(label="期间", choices=Period.choices)
    title = forms.CharField(label="标题", max_length=services.TITLE_LIMIT)
    body = forms.CharField(label="述学内容", required=False, max_length=services.BODY_LIMIT,
                           widget=forms.Textarea(attrs={"rows": 14}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["year"].choices = [(y, f"{y} 年") for y in _years()]  # type: ignore[attr-defined]


class EditForm(forms.Form):
    title = forms.CharField(label="标题", max_length=services.TITLE_LIMIT)
    body = forms.CharField(label="述学内容", required=False, max_length=services.BODY_LIMIT,
                           widget=forms.Textarea(attrs={"rows": 14}))


class ReviewForm(forms.Form):
    rating = forms.ChoiceField(label="评阅等次", required=False, choices=[("", "—— 请选择 ——"), *Rating.choices])
    comment = forms.CharField(label="评阅意见", required=False, max_length=services.COMMENT_LIMIT,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="评阅时须评定等次；退回修改时须写明意见")


class CallForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=())
    period = forms.ChoiceField(label="期间", choices=Period.choices)
    who = forms.ChoiceField(label="述学对象", choices=Audience.choices)
    due_date = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label="标题", max_length=services.TITLE_LIMIT)
    note = forms.CharField(label="说明", required=False, max_length=services.COMMENT_LIMIT,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, f"{y} 年") for y in range(this_year + 1, this_year - 3, -1)]  # type: ignore[attr-defined]


def _own_person(scope: Scope) -> Person:
    scope.require_business_data()
    person = (Person.objects.select_related("org").filter(pk=scope.person_id).first()
              if scope.person_id is not None else None)
    if person is None:
        raise Forbidden(StudyReportError.NO_PERSON, "只有关联了本人党员信息的账户可以撰写述学报告")
    return person


@login_required
@require_http_methods(["GET", "POST"])
def my_study_reports(request: HttpRequest) -> HttpResponse:
    """我的述学: the calls that ask me, my reports and their reviews, and the form to write one."""
    scope = _scope(request)
    person = _own_person(scope)
    form = WriteForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.study_report_save(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                                **form.cleaned_data)
        except DomainError as exc:
            if exc.kind in (ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND):
                raise
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        else:
            messages.success(request, "已保存草稿。确认无误后请提交。")
            return redirect("web:study_report_detail", report.pk)
    return render(request, "web/studyreports/mine.html", {
        "person": person, "form": form, "reports": list(selectors.my_reports(scope=scope)),
        "calls": list(selectors.calls_for_person(person)[:20]),
    })


def _detail_page(request: HttpRequest, report_id: int, *, edit_form: EditForm | None = None,
                 review_form: ReviewForm | None = None) -> HttpResponse:
    scope = _scope(request)
    report = access_study_report(scope=scope, report_id=report_id)
    mine = report.person_id == scope.person_id
    editable = mine and report.status in (Status.DRAFT, Status.RETURNED)
    reviewing = report.status == Status.SUBMITTED and may_review(scope, report)
    return render(request, "web/studyreports/detail.html", {
        "report": report, "events": selectors.events_of(report), "mine": mine, "editable": editable,
        "edit_form": edit_form or EditForm(initial={"title": report.title, "body": report.body}),
        "reviewing": reviewing, "review_form": review_form or ReviewForm(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def study_report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    """A report with its history: its author edits and submits it; the organization returns or reviews it."""
    if request.method != "POST":
        return _detail_page(request, report_id)
    scope = _scope(request)
    actor = request.user
    action = request.POST.get("action", "")
    try:
        if action in ("save", "submit"):
            edit_form = EditForm(request.POST)
            access_study_report(scope=scope, report_id=report_id, write=True)
            if not edit_form.is_valid():
                return _detail_page(request, report_id, edit_form=edit_form)
            services.study_report_edit(actor=actor, scope=scope, report_id=report_id,  # type: ignore[arg-type]
                                       changes=edit_form.cleaned_data)
            if action == "submit":
                services.study_report_submit(actor=actor, scope=scope, report_id=report_id)  # type: ignore[arg-type]
                messages.success(request, "已提交，等待所在组织评阅。")
            else:
                messages.success(request, "已保存。")
        elif action in ("review", "return"):
            review_form = ReviewForm(request.POST)
            access_study_report(scope=scope, report_id=report_id, review=True)
            if not review_form.is_valid():
                return _detail_page(request, report_id, review_form=review_form)
            data = review_form.cleaned_data
            if action == "review":
                services.study_report_review(actor=actor, scope=scope, report_id=report_id,  # type: ignore[arg-type]
                                             rating=data["rating"], comment=data["comment"])
                messages.success(request, "已评阅。")
            else:
                services.study_report_return(actor=actor, scope=scope, report_id=report_id,  # type: ignore[arg-type]
                                             comment=data["comment"])
                messages.success(request, "已退回修改。")
        else:
            raise NotFound(StudyReportError.NOT_FOUND, "页面不存在")
    except DomainError as exc:
        if exc.kind in (ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND):
            raise
        messages.error(request, exc.detail)
        if action in ("save", "submit"):
            return _detail_page(request, report_id, edit_form=EditForm(request.POST))
        return _detail_page(request, report_id, review_form=ReviewForm(request.POST))
    return redirect("web:study_report_detail", report_id)


@login_required
def study_report_export(request: HttpRequest, report_id: int) -> HttpResponse:
    """A report as Word (GB/T 9704)."""
    filename, data = exporting.report_export(actor=request.user, scope=_scope(request),  # type: ignore[arg-type]
                                             report_id=report_id)
    return _download(filename, data, exporting.DOCX)


def _choice(request: HttpRequest, name: str, values: list[str], default: str) -> str:
    value = request.GET.get(name, "")
    return value if value in values else default


def _filters(request: HttpRequest, scope: Scope, org: Organization) -> tuple[int, str, str, StudyReportCall | None]:
    """The period asked for: a call's, or ?year=&period=&who= (by default this year's, for leading cadres)."""
    call = None
    raw = request.GET.get("call", "")
    if raw.isdigit():
        call = selectors.call_concerning(scope=scope, org=org, call_id=int(raw))
        return call.year, call.period, call.who, call
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return (year, _choice(request, "period", Period.values, Period.YEAR),
            _choice(request, "who", Audience.values, Audience.LEADING_CADRES), None)


@login_required
@require_http_methods(["GET", "POST"])
def org_study_reports(request: HttpRequest, code: str) -> HttpResponse:
    """An organization's 述学: its calls, the coverage by child, the reports submitted below it, the exports."""
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    may_call = scope.covers_path(org.path, write=True)
    call_form = CallForm(request.POST or None)
    if request.method == "POST":
        if not may_call:
            raise Forbidden(StudyReportError.READ_ONLY, f"只有{org.name}的管理员可以作出述学安排")
        if call_form.is_valid():
            try:
                made = services.call_create(actor=request.user, scope=scope, org_code=org.code,  # type: ignore[arg-type]
                                            **call_form.cleaned_data)
            except DomainError as exc:
                if exc.kind in (ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND):
                    raise
                call_form.add_error(exc.field if exc.field in call_form.fields else None, exc.detail)
            else:
                messages.success(request, f"已作出述学安排“{made.title}”。")
                return redirect(f"{request.path}?call={made.pk}")
    year, period, who, call = _filters(request, scope, org)
    if request.GET.get("format") == "xlsx":
        filename, data = exporting.coverage_export(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                                   org_code=org.code, year=year, period=period, who=who)
        return _download(filename, data, exporting.XLSX)
    status = _choice(request, "status", [s for s in Status.values if s != Status.DRAFT], "")
    reports = selectors.inbox(scope=scope, org=org, year=year, period=period, status=status)
    page = paginate(reports, page=page_number(request))
    query = {"year": year, "period": period, "who": who, **({"call": call.pk} if call else {})}
    return render(request, "web/studyreports/org.html", {
        "org": org, "year": year, "period": period, "who": who, "call": call, "years": _years(),
        "periods": Period.values, "audiences": Audience.values, "status": status,
        "statuses": [(s, label) for s, label in Status.choices if s != Status.DRAFT],
        "calls": list(selectors.calls_of(scope=scope, org=org)[:30]), "may_call": may_call, "call_form": call_form,
        "coverage": selectors.coverage(scope=scope, org=org, year=year, period=period, who=who,
                                       within=call.org.path if call else ""),
        "counts": selectors.report_counts(selectors.inbox(scope=scope, org=org, year=year, period=period)),
        "page": page, "query": urlencode(query), "page_query": urlencode({**query, "status": status}),
    })


@login_required
def study_report_missing(request: HttpRequest, code: str) -> HttpResponse:
    """The people of an organization's subtree asked to report on the period who have not submitted."""
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    year, period, who, call = _filters(request, scope, org)
    people = selectors.not_reported(scope=scope, org=org, year=year, period=period, who=who,
                                    within=call.org.path if call else "")
    page = paginate(people, page=page_number(request), page_size=MISSING_PAGE)
    query = {"year": year, "period": period, "who": who, **({"call": call.pk} if call else {})}
    return render(request, "web/studyreports/missing.html", {
        "org": org, "year": year, "period": period, "who": who, "call": call, "page": page,
        "page_query": urlencode(query),
    })
