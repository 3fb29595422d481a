"""学时认定规则: the default credit of each activity kind; the province sets it, everyone else reads it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, Forbidden
from xuexi.learning import services as learning_services
from xuexi.learning.errors import LearningError
from xuexi.learning.ledger import default_rules
from xuexi.learning.models import ActivityKind
from xuexi.orgs.selectors import org_roots
from xuexi.web.forms import RuleRowForm


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _sets_rules(scope: Scope) -> bool:
    """An administrator over the root of the tree: the same test credit_rule_set makes."""
    return any(root.depth == 1 and scope.covers_path(root.path, write=True) for root in org_roots(scope=scope))


class CreditRuleForm(RuleRowForm):
    kind = forms.ChoiceField(label="活动类型", choices=ActivityKind.choices)
    hours_per_session = forms.DecimalField(label="每次学时", min_value=0, max_digits=6, decimal_places=2)
    hours_per_day = forms.DecimalField(label="每天学时", min_value=0, max_value=24, max_digits=6, decimal_places=2,
                                       required=False)

    _EXPECTED = {
        "kind": "、".join(ActivityKind.values) + " 之一",
        "hours_per_session": "不小于 0、至多两位小数的数",
        "hours_per_day": "0 到 24 之间、至多两位小数的数，或留空（按次计）",
    }


@login_required
@require_http_methods(["GET", "POST"])
def credit_rules(request: HttpRequest) -> HttpResponse:
    """The twelve kinds with their default hours; a province administrator changes a row at a time."""
    scope = _scope(request)
    scope.require_business_data()
    can_edit = _sets_rules(scope)
    if request.method == "POST":
        if not can_edit:
            raise Forbidden(LearningError.RULE_FORBIDDEN, "学时认定规则由省级组织管理员设置")
        form = CreditRuleForm(request.POST)
        if not form.is_valid():
            kind = request.POST.get("kind", "")
            messages.error(request, (f"{kind}：" if kind in ActivityKind.values else "") + form.problem())
            return redirect("web:credit_rules")
        data = form.cleaned_data
        try:
            learning_services.credit_rule_set(
                actor=request.user, scope=scope, kind=data["kind"],  # type: ignore[arg-type]
                hours_per_session=data["hours_per_session"], hours_per_day=data["hours_per_day"],
            )
        except DomainError as exc:
            if exc.kind != ErrorKind.INVALID:
                raise
            messages.error(request, f"{data['kind']}：{exc.detail}")
        else:
            messages.success(request, f"已修改“{data['kind']}”的学时认定规则。")
        return redirect("web:credit_rules")
    rules = default_rules()
    rows = [(kind, rules.get(kind)) for kind in ActivityKind.values]
    return render(request, "web/learning/credit_rules.html", {"rows": rows, "can_edit": can_edit})
