"""学习活动 pages: an organization's activities, recording one, a person's archive."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from xuexi.accounts.audit import audit_record
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, Forbidden, NotFound
from xuexi.exchange.exporting import export_activities
from xuexi.exchange.files import write_xlsx
from xuexi.learning import selectors as learning_selectors
from xuexi.learning import services as learning_services
from xuexi.learning.models import ActivityKind, ClaimStatus, ContentArea, TrainingType
from xuexi.orgs.access import access_org
from xuexi.orgs.errors import OrgError
from xuexi.orgs.models import Organization
from xuexi.pagination import page_number, paginate
from xuexi.people.access import access_person
from xuexi.web.editing import form_page

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year


@login_required
def org_activities(request: HttpRequest, code: str) -> HttpResponse:
    """An organization's activities (its own and its subtree's), as a list or a month's calendar."""
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    today = timezone.localdate()
    try:
        month = date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        month = today.replace(day=1)
    kind = request.GET.get("kind", "")
    own = request.GET.get("own") == "1"
    filters = learning_selectors.ActivityFilters(host_path=org.path, direct_only=own, kind=kind)
    context: dict[str, Any] = {"org": org, "kind": kind, "own": own, "kinds": ActivityKind.values,
                               "can_write": scope.covers_path(org.path, write=True),
                               "page_query": urlencode({"kind": kind, "own": "1" if own else ""})}
    if request.GET.get("view") == "calendar":
        last = calendar.monthrange(month.year, month.month)[1]
        in_month = learning_selectors.activity_list(scope=scope, filters=learning_selectors.ActivityFilters(
            host_path=org.path, direct_only=own, kind=kind, since=month, until=month.replace(day=last)))
        by_day: dict[int, list[Any]] = {}
        for activity in in_month:
            by_day.setdefault(activity.start_date.day, []).append(activity)
        weeks = calendar.Calendar(firstweekday=0).monthdayscalendar(month.year, month.month)
        previous = (month.replace(day=1) - date.resolution).replace(day=1)
        following = month.replace(day=last) + date.resolution
        context.update(view="calendar", month=month, weeks=[[(d, by_day.get(d, [])) for d in week] for week in weeks],
                       previous=f"{previous:%Y-%m}", following=f"{following:%Y-%m}")
    elif request.GET.get("format") == "xlsx":
        data = export_activities(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                 activities=learning_selectors.activity_list(scope=scope, filters=filters))
        response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="activities-{org.code}.xlsx"'
        return response
    else:
        context.update(view="list", page=paginate(learning_selectors.activity_list(scope=scope, filters=filters),
                                                  page=page_number(request)))
    return render(request, "web/learning/activities.html", context)


class ActivityForm(forms.Form):
    number = forms.CharField(label="活动编号", max_length=64)
    kind = forms.ChoiceField(label="活动类型", choices=ActivityKind.choices)
    topic = forms.CharField(label="主题", max_length=300)
    start_date = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label="学时", required=False, min_value=0, max_digits=7, decimal_places=2,
                               help_text="留空则按学时认定规则的默认学时计")
    content_areas = forms.MultipleChoiceField(label="学习内容", choices=ContentArea.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    training_type = forms.ChoiceField(label="培训类别（仅培训）", required=False,
                                      choices=[("", "—"), *TrainingType.choices])
    off_job = forms.BooleanField(label="脱产（仅培训）", required=False)
    speaker = forms.CharField(label="主讲人", max_length=100, required=False)
    speaker_number = forms.CharField(label="主讲人编号（在册人员）", max_length=64, required=False)
    venue = forms.CharField(label="地点", max_length=200, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, code: str) -> HttpResponse:
    """Record an activity hosted by this organization."""
    org = access_org(scope=_scope(request), code=code, write=True)

    def save(data: dict[str, Any]) -> tuple[str, str]:
        activity = learning_services.activity_save(
            actor=request.user, scope=_scope(request),  # type: ignore[arg-type]
            data=learning_services.ActivityInput(
                number=data["number"], kind=data["kind"], host_code=org.code, start_date=data["start_date"],
                end_date=data["end_date"], hours=data["hours"], topic=data["topic"],
                content_areas=data["content_areas"], training_type=data["training_type"], off_job=data["off_job"],
                speaker=data["speaker"], speaker_number=data["speaker_number"], venue=data["venue"],
            ),
        )
        return f"已登记活动“{activity.topic}”，请登记参加人员。", reverse("web:activity_detail", args=[activity.number])

    return form_page(request, ActivityForm(request.POST or None), title=f"{org.name}：登记学习活动",
                      back=org.code, save=save)


@login_required
def person_archive(request: HttpRequest, number: str) -> HttpResponse:
    """学习档案: a person's year, every hour and where it came from; exportable."""
    scope = _scope(request)
    person = access_person(scope=scope, number=number)
    year = _year(request)
    archive = learning_selectors.person_archive(scope=scope, person=person, year=year)
    if request.GET.get("format") == "xlsx":
        headers = ["日期", "来源", "编号", "类型", "内容", "学时", "天数", "是否脱产", "学习内容", "是否计入", "说明"]
        rows = [[e.start_date, e.source, e.reference, e.kind, e.title, e.hours, e.days, "是" if e.off_job else "否",
                 "；".join(e.content_areas), "是" if e.counted else "否", e.reason] for e in archive.entries]
        response = HttpResponse(write_xlsx(headers, rows, sheet_title=f"{year}年学习档案"),
                                content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="archive-{person.number}-{year}.xlsx"'
        audit_record(action="export", actor=request.user, object_type="archive",  # type: ignore[arg-type]
                     object_id=person.number, detail={"rows": len(rows), "year": year})
        return response
    return render(request, "web/learning/archive.html", {
        "person": person, "archive": archive, "year": year, "years": range(timezone.localdate().year, 2009, -1),
        "ranking_open": learning_selectors.rankings_open(person.org),
    })


_SWITCH = {"on": True, "off": False, "inherit": None}


@login_required
@require_http_methods(["GET", "POST"])
def org_ranking(request: HttpRequest, code: str) -> HttpResponse:
    """学习排名: the organization's people by credited hours; its administrators switch it on or off for members."""
    scope = _scope(request)
    if request.method == "POST":
        choice = request.POST.get("switch", "")
        if choice not in _SWITCH:
            raise NotFound(OrgError.NOT_FOUND, "页面不存在")
        learning_services.ranking_switch(actor=request.user, scope=scope, org_code=code,  # type: ignore[arg-type]
                                         enabled=_SWITCH[choice])
        messages.success(request, {"on": "已向本组织及下级的党员公开学习排名。", "off": "已不向党员公开学习排名。",
                                   "inherit": "学习排名改为按上级组织的设置。"}[choice])
        return redirect("web:org_ranking", code)
    org = Organization.objects.filter(code=code).first()
    if org is None:
        raise NotFound(OrgError.NOT_FOUND, f"组织编码 {code} 不存在")
    year = _year(request)
    ranking = learning_selectors.hours_ranking(scope=scope, org=org, year=year)
    return render(request, "web/learning/ranking.html", {
        "ranking": ranking, "org": org, "year": year, "years": range(timezone.localdate().year, 2009, -1),
        "open": learning_selectors.rankings_open(org), "own_switch": learning_selectors.own_ranking_switch(org),
        "may_switch": scope.covers_path(org.path, write=True),
    })


class ClaimForm(forms.Form):
    title = forms.CharField(label="学习内容", max_length=300)
    kind = forms.ChoiceField(label="类型", choices=[(ActivityKind.SELF_STUDY, "个人自学"),
                                                  (ActivityKind.TRAINING, "参加其他单位组织的培训"),
                                                  (ActivityKind.ONLINE_LEARNING, "其他平台的网络学习")])
    start_date = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label="申报学时", min_value=0, max_digits=7, decimal_places=2)
    days = forms.DecimalField(label="申报天数", min_value=0, max_digits=6, decimal_places=2, required=False)
    off_job = forms.BooleanField(label="脱产（仅培训）", required=False)
    evidence = forms.CharField(label="证明材料说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    claim = forms.IntegerField()
    decision = forms.ChoiceField(choices=[("certify", "认定"), ("refuse", "不予认定")])
    reason = forms.CharField(max_length=300, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def person_claims(request: HttpRequest, number: str) -> HttpResponse:
    """学时申报: a person's claims; the person declares new ones, their organization's administrators decide."""
    scope = _scope(request)
    person = access_person(scope=scope, number=number)
    is_self = person.pk == scope.person_id
    form = ClaimForm(request.POST or None) if is_self else None
    if request.method == "POST":
        if form is None:
            raise Forbidden("claim_not_own", "只能为自己申报学时")
        if form.is_valid():
            data = form.cleaned_data
            try:
                learning_services.claim_submit(
                    actor=request.user, scope=scope, title=data["title"], kind=data["kind"],  # type: ignore[arg-type]
                    start_date=data["start_date"], end_date=data["end_date"], hours=data["hours"],
                    days=data["days"] or Decimal(0), off_job=data["off_job"], evidence=data["evidence"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
            else:
                messages.success(request, "已提交，待所在组织认定后计入学时。")
                return redirect("web:person_claims", number=number)
    claims = learning_selectors.claim_list(scope=scope).filter(person=person)
    return render(request, "web/learning/claims.html", {
        "person": person, "claims": claims, "form": form,
        "can_decide": scope.covers_path(person.org.path, write=True),
    })


@login_required
@require_POST
def claim_decide(request: HttpRequest, number: str) -> HttpResponse:
    """学时认定: certify a claim, or refuse it with the reason."""
    scope = _scope(request)
    person = access_person(scope=scope, number=number, write=True)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要处理的申报和处理结果。")
        return redirect("web:person_claims", number=number)
    claim = learning_selectors.claim_list(scope=scope).filter(person=person, pk=form.cleaned_data["claim"]).first()
    if claim is None:
        raise NotFound("claim_not_found", "学时申报不存在")
    try:
        learning_services.claim_decide(actor=request.user, scope=scope, claim_id=claim.pk,  # type: ignore[arg-type]
                                       certify=form.cleaned_data["decision"] == "certify",
                                       reason=form.cleaned_data["reason"])
    except DomainError as exc:
        if exc.kind != ErrorKind.INVALID and exc.kind != ErrorKind.CONFLICT:
            raise
        messages.error(request, exc.detail)
    else:
        messages.success(request, "已处理。")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("web:person_claims", args=[number])
    return redirect(back)


@login_required
def claim_queue(request: HttpRequest) -> HttpResponse:
    """待认定: the pending claims of the people in the administrator's scope."""
    scope = _scope(request)
    pending = learning_selectors.claim_list(scope=scope, status=ClaimStatus.PENDING)
    if request.GET.get("format") == "xlsx":
        headers = ["申报编号", "人员编号", "姓名", "所属组织", "类型", "学习内容", "开始日期", "结束日期", "申报学时",
                   "申报天数", "是否脱产", "证明材料说明", "提交时间"]
        rows = [[c.pk, c.person.number, c.person.name, c.person.org.name, c.kind, c.title, c.start_date, c.end_date,
                 c.hours, c.days, "是" if c.off_job else "否", c.evidence, timezone.localtime(c.submitted_at)]
                for c in pending]
        audit_record(action="export", actor=request.user, object_type="claims",  # type: ignore[arg-type]
                     object_id="pending", detail={"rows": len(rows)})
        response = HttpResponse(write_xlsx(headers, rows, sheet_title="待认定"), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="claims-pending.xlsx"'
        return response
    page = paginate(pending, page=page_number(request))
    return render(request, "web/learning/claim_queue.html", {"page": page})
