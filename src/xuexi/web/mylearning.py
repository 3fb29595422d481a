"""我的学习 and 学习积分 pages: a person's own year, the province's point rules, an organization's switch."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, Forbidden, NotFound
from xuexi.mylearning import selectors, services
from xuexi.mylearning.access import my_person
from xuexi.mylearning.errors import MyLearningError
from xuexi.mylearning.models import PointAction
from xuexi.mylearning.overview import my_learning
from xuexi.norms.engine import STATUS_LABELS
from xuexi.orgs.access import access_org
from xuexi.orgs.errors import OrgError
from xuexi.web.forms import RuleRowForm

POINTS_HELP = (
    "积分按现行规则从学习记录计算：规则调整后，以往的积分按新规则重新计算。积分只作激励，不作考核，不强制参加。"
)


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return today.year
    return min(max(year, 2010), today.year)


@login_required
@require_GET
def my_learning_page(request: HttpRequest) -> HttpResponse:
    """我的学习: the signed-in person's year; phone-sized cards first, details below."""
    scope = _scope(request)
    person = my_person(scope=scope)
    year = _year(request)
    mine = my_learning(scope=scope, person=person, year=year)
    return render(request, "web/mylearning/me.html", {
        "mine": mine, "year": year, "years": range(timezone.localdate().year, 2009, -1), "labels": STATUS_LABELS,
        "points_help": POINTS_HELP, "notes": selectors.ACTION_NOTES,
    })


class PointRuleForm(RuleRowForm):
    action = forms.ChoiceField(label="积分项目", choices=PointAction.choices)
    points = forms.IntegerField(label="每次积分", min_value=1, max_value=services.POINTS_LIMIT)
    daily_cap = forms.IntegerField(label="每日上限", min_value=1, max_value=services.CAP_LIMIT)
    unit_minutes = forms.IntegerField(label="每单位分钟数", min_value=1, max_value=services.UNIT_MINUTES_LIMIT,
                                      required=False)
    enabled = forms.BooleanField(label="启用", required=False)

    _EXPECTED = {
        "action": "、".join(PointAction.values) + " 之一",
        "points": f"1 到 {services.POINTS_LIMIT} 之间的整数",
        "daily_cap": f"1 到 {services.CAP_LIMIT} 之间的整数",
        "unit_minutes": f"1 到 {services.UNIT_MINUTES_LIMIT} 之间的整数",
    }


@login_required
@require_http_methods(["GET", "POST"])
def point_rules(request: HttpRequest) -> HttpResponse:
    """积分规则: every action with its points and daily cap; the province's administrators change them."""
    scope = _scope(request)
    scope.require_business_data()
    can_edit = services.sets_point_rules(scope)
    if request.method == "POST":
        if not can_edit:
            raise Forbidden(MyLearningError.RULE_FORBIDDEN, "积分规则由省级组织管理员设置")
        form = PointRuleForm(request.POST)
        if not form.is_valid():
            action = request.POST.get("action", "")
            messages.error(request, (f"{action}：" if action in PointAction.values else "") + form.problem())
            return redirect("web:point_rules")
        data = form.cleaned_data
        try:
            services.point_rule_set(actor=request.user, scope=scope, action=data["action"],  # type: ignore[arg-type]
                                    points=data["points"], daily_cap=data["daily_cap"],
                                    unit_minutes=data["unit_minutes"] or 10, enabled=data["enabled"])
        except DomainError as exc:
            if exc.kind != ErrorKind.INVALID:
                raise
            messages.error(request, f"{data['action']}：{exc.detail}")
        else:
            messages.success(request, f"已修改“{data['action']}”的积分规则。")
        return redirect("web:point_rules")
    return render(request, "web/mylearning/point_rules.html", {
        "rules": selectors.point_rule_terms(), "notes": selectors.ACTION_NOTES, "can_edit": can_edit,
        "points_help": POINTS_HELP,
    })


_SWITCH = {"on": True, "off": False, "inherit": None}


@login_required
@require_http_methods(["GET", "POST"])
def org_points(request: HttpRequest, code: str) -> HttpResponse:
    """An organization's 学习积分: the switch (its administrators), and who earned points, without a ranking."""
    scope = _scope(request)
    if request.method == "POST":
        choice = request.POST.get("switch", "")
        if choice not in _SWITCH:
            raise NotFound(OrgError.NOT_FOUND, "页面不存在")
        services.points_switch(actor=request.user, scope=scope, org_code=code,  # type: ignore[arg-type]
                               enabled=_SWITCH[choice])
        messages.success(request, {"on": "已向本组织及下级的党员显示学习积分。", "off": "已不向党员显示学习积分。",
                                   "inherit": "学习积分改为按上级组织的设置。"}[choice])
        return redirect("web:org_points", code)
    org = access_org(scope=scope, code=code)
    year = _year(request)
    summary = selectors.org_points_summary(scope=scope, org=org, year=year)
    return render(request, "web/mylearning/org_points.html", {
        "summary": summary, "org": org, "year": year, "years": range(timezone.localdate().year, 2009, -1),
        "may_switch": scope.covers_path(org.path, write=True),
        "points_help": POINTS_HELP,
    })


@login_required
@require_GET
def org_points_ranking(request: HttpRequest, code: str) -> HttpResponse:
    """积分排名: only while the organization has both 学习排名 and 学习积分 on."""
    year = _year(request)
    ranking = selectors.points_ranking(scope=_scope(request), code=code, year=year)
    return render(request, "web/mylearning/points_ranking.html", {
        "ranking": ranking, "org": ranking.org, "year": year, "years": range(timezone.localdate().year, 2009, -1),
        "points_help": POINTS_HELP,
    })
