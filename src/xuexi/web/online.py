"""网络学习计时 pages: an item page's heartbeat, and the province's timing rule (see library/reading.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from xuexi.accounts.scope import Scope
from xuexi.errors import Forbidden, NotFound
from xuexi.library import reading
from xuexi.library.errors import LibraryError
from xuexi.web.editing import form_page
from xuexi.web.norms import _ExplainedForm


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def item_context(scope: Scope, item_id: int) -> dict[str, Any]:
    """What an item's page needs to beat: only a reader who is a person beats, while the rule is on."""
    rule = reading.current_rule()
    if scope.person_id is None or not rule.enabled:
        return {}
    return {"beat_url": reverse("web:library_heartbeat", args=[item_id]), "beat_seconds": rule.beat_seconds,
            "today_minutes": reading.today_seconds(scope=scope) // 60}


def today_minutes(scope: Scope) -> int | None:
    """Today's credited online-learning minutes of a viewer who is a person (None for anyone else)."""
    return reading.today_seconds(scope=scope) // 60 if scope.person_id is not None else None


def _flag(request: HttpRequest, name: str) -> bool:
    return request.POST.get(name, "") in {"1", "true"}


@login_required
@require_POST
def heartbeat(request: HttpRequest, item_id: int) -> JsonResponse:
    """A beat of an item's page (visible, active): today's credited time as JSON, for the page to show."""
    beat = reading.heartbeat(scope=_scope(request), item_id=item_id, visible=_flag(request, "visible"),
                             active=_flag(request, "active"))
    return JsonResponse({"credited_seconds": beat.credited, "today_seconds": beat.today_seconds,
                         "today_minutes": beat.today_minutes, "today_hours": str(beat.today_hours)})


class OnlineRuleForm(_ExplainedForm):
    enabled = forms.BooleanField(label="计入网络学习学时", required=False,
                                 help_text="不勾选即暂停计时（已计入的学时不变）")
    beat_seconds = forms.IntegerField(label="计时间隔（秒）", min_value=reading.BEAT_RANGE[0],
                                      max_value=reading.BEAT_RANGE[1],
                                      help_text="页面可见且有操作时每隔这么多秒向服务器报一次")
    grace_seconds = forms.IntegerField(label="允许误差（秒）", min_value=0, max_value=reading.BEAT_RANGE[1],
                                       help_text="两次报时的间隔超过“计时间隔＋允许误差”即视为中断，不补计")
    item_cap_minutes = forms.IntegerField(label="每条资料每天至多计（分钟）", min_value=reading.CAP_RANGE[0],
                                          max_value=reading.CAP_RANGE[1])
    day_cap_minutes = forms.IntegerField(label="每人每天至多计（分钟）", min_value=reading.CAP_RANGE[0],
                                         max_value=reading.CAP_RANGE[1],
                                         help_text="每天计时每满 6 分钟计 0.1 学时（网络学习）")

    EXPECTED = {"beat_seconds": f"{reading.BEAT_RANGE[0]} 至 {reading.BEAT_RANGE[1]} 的整数",
                "grace_seconds": "小于计时间隔的非负整数",
                "item_cap_minutes": f"{reading.CAP_RANGE[0]} 至 {reading.CAP_RANGE[1]} 的整数",
                "day_cap_minutes": f"{reading.CAP_RANGE[0]} 至 {reading.CAP_RANGE[1]} 的整数"}


@login_required
@require_http_methods(["GET", "POST"])
def online_rule(request: HttpRequest) -> HttpResponse:
    """网络学习计时规则: an administrator of the province sets the interval, the grace and the caps (audited)."""
    scope = _scope(request)
    scope.require_business_data()
    if not reading.can_set_rule(scope):
        # As the other province settings: those who see the tree are refused; a member has no such page.
        if scope.sees_organizations:
            raise Forbidden(LibraryError.RULE_FORBIDDEN, "网络学习计时规则由省级组织管理员设置")
        raise NotFound("page_not_found", "页面不存在")
    rule = reading.current_rule()
    form = OnlineRuleForm(request.POST or None, initial={name: getattr(rule, name) for name in reading.RULE_FIELDS})
    if request.method == "POST" and not form.is_valid():
        form.explain()

    def save(data: dict[str, Any]) -> tuple[str, str]:
        reading.online_rule_set(actor=request.user, scope=scope, **data)  # type: ignore[arg-type]
        return "已保存网络学习计时规则。", reverse("web:online_rule")

    return form_page(request, form, title="网络学习计时规则", back_url=reverse("web:credit_rules"), save=save)
