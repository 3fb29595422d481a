"""主题教育 and 学习计划 pages: campaigns and their progress, organizations' and people's study plans."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, Forbidden, NotFound
from xuexi.learning import selectors, services
from xuexi.learning.access import access_campaign
from xuexi.learning.errors import LearningError
from xuexi.learning.models import Campaign, ContentArea
from xuexi.orgs import selectors as org_selectors
from xuexi.orgs.access import access_org
from xuexi.orgs.models import Level
from xuexi.pagination import page_number, paginate
from xuexi.people.access import access_person
from xuexi.web.editing import form_page

_LIST_SEPARATORS = re.compile(r"[\n、；;，,]+")
_QUARTER = re.compile(r"^(?:第|Q|q)?([1-4一二三四])(?:季度)?$")
_QUARTER_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year


def _years() -> range:
    return range(timezone.localdate().year + 1, 2009, -1)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# -- 主题教育 -----------------------------------------------------------------------------------------
@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    """The campaigns that meet the viewer's scope: their own, and those of the levels above that cover them."""
    scope = _scope(request)
    page = paginate(selectors.campaign_list(scope=scope), page=page_number(request))
    return render(request, "web/planning/campaigns.html", {
        "page": page, "can_create": scope.is_org_admin, "today": timezone.localdate(),
    })


class CampaignForm(forms.Form):
    code = forms.CharField(label="编号", max_length=64)
    name = forms.CharField(label="名称", max_length=200)
    start_date = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    organizer_code = forms.CharField(label="组织单位（组织编码）", max_length=64)
    covers_code = forms.CharField(label="覆盖范围（组织编码，含其全部下级）", max_length=64,
                                  help_text="组织单位本身，或其下级组织")
    themes = forms.CharField(label="主题", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="每行一个，或用“、”分隔，如：解放思想、改革创新、转变方式、科学发展")
    requirements = forms.CharField(
        label="各级要求", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一条：组织层级 活动类型 至少次数，如“县级 中心组集体学习 2”。组织层级："
                  + "、".join(Level.values))
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]  # a campaign keeps its code: activities and reports refer to it

    def clean_themes(self) -> list[str]:
        return [t.strip() for t in _LIST_SEPARATORS.split(self.cleaned_data["themes"]) if t.strip()]

    def clean_requirements(self) -> list[tuple[str, str, int]]:
        rows = []
        for number, line in enumerate(_lines(self.cleaned_data["requirements"]), start=1):
            parts = line.split()
            if len(parts) not in (2, 3):
                raise forms.ValidationError(
                    f"第 {number} 行“{line}”格式不对，应为“组织层级 活动类型 至少次数”，如“县级 中心组集体学习 2”")
            minimum = parts[2] if len(parts) == 3 else "1"
            if not minimum.isdigit():
                raise forms.ValidationError(f"第 {number} 行的至少次数“{minimum}”不是正整数")
            rows.append((parts[0], parts[1], int(minimum)))
        return rows


def _campaign_initial(campaign: Campaign) -> dict[str, Any]:
    requirements = sorted(campaign.requirements.all(), key=lambda r: (r.level, r.kind))
    return {
        "name": campaign.name, "start_date": campaign.start_date, "end_date": campaign.end_date,
        "organizer_code": campaign.organizer.code, "covers_code": campaign.covers.code,
        "themes": "、".join(campaign.themes), "description": campaign.description,
        "requirements": "\n".join(f"{r.level} {r.kind} {r.minimum}" for r in requirements),
    }


def _campaign_input(code: str, data: dict[str, Any]) -> services.CampaignInput:
    return services.CampaignInput(
        code=code, name=data["name"], start_date=data["start_date"], end_date=data["end_date"],
        organizer_code=data["organizer_code"], covers_code=data["covers_code"], themes=data["themes"],
        description=data["description"], requirements=data["requirements"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    """新建主题教育: an organization's administrator launches one over their subtree."""
    scope = _scope(request)
    scope.require_business_data()
    if not scope.is_org_admin:
        if scope.is_reviewer:
            raise Forbidden(LearningError.CAMPAIGN_READ_ONLY, "只有组织管理员可以新建主题教育")
        raise NotFound("page_not_found", "页面不存在")
    org = request.GET.get("org", "")

    def save(data: dict[str, Any]) -> tuple[str, str]:
        campaign = services.campaign_save(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                          data=_campaign_input(data["code"], data), create=True)
        return f"已新建主题教育“{campaign.name}”。", reverse("web:campaign_detail", args=[campaign.code])

    form = CampaignForm(request.POST or None, initial={"organizer_code": org, "covers_code": org})
    return form_page(request, form, title="新建主题教育", back_url=reverse("web:campaign_list"), save=save)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, code: str) -> HttpResponse:
    scope = _scope(request)
    campaign = access_campaign(scope=scope, code=code, write=True)

    def save(data: dict[str, Any]) -> tuple[str, str]:
        services.campaign_save(actor=request.user, scope=scope, data=_campaign_input(code, data))  # type: ignore[arg-type]
        return "已保存。", reverse("web:campaign_detail", args=[code])

    form = CampaignForm(request.POST or None, editing=True, initial=_campaign_initial(campaign))
    return form_page(request, form, title=f"修改主题教育：{campaign.name}",
                      back_url=reverse("web:campaign_detail", args=[code]), save=save)


@login_required
def campaign_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A campaign: its themes and requirements, the roll-up by child organization (drill down), its activities."""
    scope = _scope(request)
    campaign = access_campaign(scope=scope, code=code)
    default = selectors.campaign_default_under(scope=scope, campaign=campaign)
    under = access_org(scope=scope, code=request.GET["org"]) if request.GET.get("org") else default
    try:
        progress = selectors.campaign_progress(scope=scope, campaign=campaign, under=under)
    except DomainError as exc:
        if exc.kind != ErrorKind.INVALID:
            raise
        messages.error(request, exc.detail)
        under = default
        progress = selectors.campaign_progress(scope=scope, campaign=campaign, under=under)
    crumbs = [o for o in org_selectors.org_breadcrumbs(scope=scope, org=under)
              if o.path.startswith(campaign.covers.path)]
    page = paginate(selectors.campaign_activities(scope=scope, campaign=campaign), page=page_number(request))
    return render(request, "web/planning/campaign_detail.html", {
        "campaign": campaign, "progress": progress, "crumbs": crumbs, "page": page,
        "activities": [(a, scope.covers_path(a.host.path, write=True)) for a in page.items],
        "can_write": scope.covers_path(campaign.organizer.path, write=True),
        "can_add": scope.is_org_admin, "today": timezone.localdate(),
    })


@login_required
@require_POST
def campaign_activities(request: HttpRequest, code: str) -> HttpResponse:
    """Count an activity toward the campaign, or take it out; refusals of the rules come back as a message."""
    scope = _scope(request)
    campaign = access_campaign(scope=scope, code=code)
    number = request.POST.get("number", "").strip()
    remove = request.POST.get("action") == "remove"
    if not number:
        messages.error(request, "请填写活动编号。")
        return redirect("web:campaign_detail", code=campaign.code)
    try:
        if remove:
            services.campaign_activity_remove(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                              campaign_code=campaign.code, activity_number=number)
        else:
            services.campaign_activity_add(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                           campaign_code=campaign.code, activity_number=number)
    except DomainError as exc:
        if exc.kind != ErrorKind.INVALID:
            raise
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"已将活动 {number} {'移出' if remove else '纳入'}本主题教育。")
    return redirect("web:campaign_detail", code=campaign.code)


# -- 学习计划 -----------------------------------------------------------------------------------------
@login_required
def org_plan(request: HttpRequest, code: str) -> HttpResponse:
    """An organization's study plan for a year, each item against what it recorded."""
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    year = _year(request)
    plan = selectors.study_plan_for(scope=scope, org=org, year=year)
    return render(request, "web/planning/org_plan.html", {
        "org": org, "year": year, "years": _years(), "plan": plan,
        "progress": selectors.study_plan_progress(plan=plan) if plan else None,
        "can_write": scope.covers_path(org.path, write=True),
    })


class StudyPlanForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="标题", max_length=200)
    items = forms.CharField(
        label="计划条目", required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text="每行一条：季度 活动类型 主题 学习内容（可省略，多项用“、”分隔），"
                  "如“1 中心组集体学习 学习贯彻党的二十大精神 中国特色社会主义理论体系、科学发展观”")
    reading_list = forms.CharField(label="学习书目", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text="每行一本")

    def clean_items(self) -> list[services.PlanItemInput]:
        items = []
        for number, line in enumerate(_lines(self.cleaned_data["items"]), start=1):
            parts = line.split()
            quarter = _QUARTER.match(parts[0])
            if len(parts) < 3 or quarter is None:
                raise forms.ValidationError(
                    f"第 {number} 行“{line}”格式不对，应为“季度 活动类型 主题 学习内容”，季度为 1 到 4")
            digit = quarter.group(1)
            areas = parts[-1].split("、") if len(parts) > 3 else []
            if areas and all(a in ContentArea.values for a in areas):
                topic = " ".join(parts[2:-1])
            else:
                areas, topic = [], " ".join(parts[2:])
            items.append(services.PlanItemInput(quarter=_QUARTER_DIGITS.get(digit) or int(digit), kind=parts[1],
                                                topic=topic, content_areas=areas))
        return items

    def clean_reading_list(self) -> list[str]:
        return _lines(self.cleaned_data["reading_list"])


def _plan_url(name: str, key: str, year: int) -> str:
    return f"{reverse(name, args=[key])}?year={year}"


@login_required
@require_http_methods(["GET", "POST"])
def org_plan_edit(request: HttpRequest, code: str) -> HttpResponse:
    scope = _scope(request)
    org = access_org(scope=scope, code=code, write=True)
    year = _year(request)
    plan = selectors.study_plan_for(scope=scope, org=org, year=year)
    initial: dict[str, Any] = {"year": year, "title": f"{year}年度{org.name}学习计划"}
    if plan is not None:
        initial.update(title=plan.title, reading_list="\n".join(plan.reading_list), items="\n".join(
            " ".join([str(i.quarter), i.kind, i.topic, "、".join(i.content_areas)]).strip()
            for i in sorted(plan.items.all(), key=lambda i: (i.quarter, i.pk))))

    def save(data: dict[str, Any]) -> tuple[str, str]:
        services.study_plan_save(actor=request.user, scope=scope, org_code=org.code,  # type: ignore[arg-type]
                                 year=data["year"], title=data["title"], items=data["items"],
                                 reading_list=data["reading_list"])
        return f"已保存 {data['year']} 年度学习计划。", _plan_url("web:org_plan", org.code, data["year"])

    return form_page(request, StudyPlanForm(request.POST or None, initial=initial),
                      title=f"{org.name}：{year} 年度学习计划", back_url=_plan_url("web:org_plan", org.code, year),
                      save=save, fields={"quarter": "items", "kind": "items", "topic": "items",
                                         "content_areas": "items"})


class PersonalPlanForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, widget=forms.HiddenInput)
    goal_hours = forms.DecimalField(label="目标学时", min_value=0, max_digits=7, decimal_places=2)
    topics = forms.CharField(label="学习专题", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="每行一个")
    books = forms.CharField(label="学习书目", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="每行一本")

    def clean_topics(self) -> list[str]:
        return _lines(self.cleaned_data["topics"])

    def clean_books(self) -> list[str]:
        return _lines(self.cleaned_data["books"])


@login_required
@require_http_methods(["GET", "POST"])
def person_plan(request: HttpRequest, number: str) -> HttpResponse:
    """个人自学计划: goals against the archive; the person or their organization's administrators set them."""
    scope = _scope(request)
    person = access_person(scope=scope, number=number)
    year = _year(request)
    can_edit = person.pk == scope.person_id or scope.covers_path(person.org.path, write=True)
    if request.method == "POST" and not can_edit:
        raise Forbidden(LearningError.PLAN_READ_ONLY, "只有本人或其所在组织的管理员可以修改个人自学计划")
    plan = selectors.personal_plan_for(scope=scope, person=person, year=year)
    initial = {"year": year, "goal_hours": plan.goal_hours if plan else Decimal(0),
               "topics": "\n".join(plan.topics) if plan else "", "books": "\n".join(plan.books) if plan else ""}
    form = PersonalPlanForm(request.POST or None, initial=initial) if can_edit else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.personal_plan_save(actor=request.user, scope=scope, person_number=person.number,  # type: ignore[arg-type]
                                        year=data["year"], goal_hours=data["goal_hours"], topics=data["topics"],
                                        books=data["books"])
        except DomainError as exc:
            if exc.kind != ErrorKind.INVALID:
                raise
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        else:
            messages.success(request, f"已保存 {data['year']} 年度个人自学计划。")
            return redirect(_plan_url("web:person_plan", person.number, data["year"]))
    return render(request, "web/planning/person_plan.html", {
        "person": person, "year": year, "years": _years(), "form": form,
        "progress": selectors.personal_plan_progress(scope=scope, person=person, year=year),
    })

