"""制度要求 pages: the rules the viewer can see with their terms and versions, new versions and rules, exemptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, Forbidden
from xuexi.learning.models import ActivityKind, TrainingType
from xuexi.norms import selectors, services
from xuexi.norms.models import Exemption, Metric, PeriodKind, RuleVersion, SubjectType
from xuexi.orgs.models import Kind, Level, Sector
from xuexi.pagination import page_number, paginate
from xuexi.people.models import FocusGroup, LeaderPost, Rank

UNITS: dict[str, str] = {Metric.HOSTED: "次", Metric.SPOKE: "次", Metric.HOURS: "学时", Metric.DAYS: "天",
                         Metric.PRESENCE: "%"}


def figure_text(version: RuleVersion, figure: Decimal) -> str:
    """A requirement as the page says it: 110 学时, 1 次, 80%."""
    unit = UNITS.get(version.metric, "")
    return f"{_plain(figure)}{unit}" if unit == "%" else f"{_plain(figure)} {unit}".rstrip()


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _plain(value: Decimal) -> str:
    """110.00 → 110, 1.50 → 1.5."""
    return format(value.normalize(), "f")


# -- terms in Chinese --------------------------------------------------------------------------------
@dataclass(frozen=True)
class TermsText:
    """A version's terms as the page names them: 对象、指标、活动类型、周期、要求、筛选条件."""

    subject: str
    metric: str
    kinds: str
    period: str
    requirement: str
    filters: list[str]


def terms_text(version: RuleVersion) -> TermsText:
    if version.metric == Metric.REPORT_ON_TIME:
        requirement = "次年 1 月 31 日 24 时前报送"
    elif version.metric == Metric.PRESENCE:
        requirement = f"不低于 {figure_text(version, version.required)}"
    else:
        requirement = f"不少于 {figure_text(version, version.required)}"
    if version.sector_required:
        others = "、".join(f"{sector} {figure_text(version, Decimal(figure))}"
                          for sector, figure in version.sector_required.items())
        requirement += f"（单位类别模板：{others}）"
    period = (f"连续 {version.window_years} 年累计" if version.period == PeriodKind.WINDOW
              else version.get_period_display())
    filters = [f"{label}：{'、'.join(values)}" for label, values in (
        ("组织层级", version.org_levels), ("组织类型", version.org_kinds), ("单位类别", version.org_sectors),
        ("职级", version.person_ranks), ("领导职务", version.person_leader_posts), ("关注群体", version.person_groups),
    ) if values]
    filters += [text for flag, text in (
        (version.central_group_only, "只对设有中心组的组织"), (version.with_parent_only, "只对有上级的组织"),
        (version.off_job_only, "只计脱产培训"), (bool(version.training_type), f"只计{version.training_type}"),
    ) if flag]
    return TermsText(subject=version.get_subject_type_display(), metric=version.get_metric_display(),
                     kinds="、".join(version.kinds) or "不限", period=period, requirement=requirement,
                     filters=filters)


# -- forms -------------------------------------------------------------------------------------------
class _ExplainedForm(forms.Form):
    """A form whose field errors name the field, the value given and what is expected, in Chinese."""

    EXPECTED: dict[str, str] = {}

    def explain(self) -> None:
        for name in list(self.errors):
            if name not in self.fields:
                continue
            label = self.fields[name].label
            given = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data.get(name, "")]
            value = "、".join(v for v in given if v)
            expected = self.EXPECTED.get(name, "有效的值")
            message = f"{label}“{value}”无效：应为{expected}" if value else f"请填写{label}：应为{expected}"
            self.errors[name] = self.error_class([message])


_DATE = "日期，如 2026-01-01"
_REQUIRED = "不小于 0、至多两位小数的数"


class RuleVersionForm(_ExplainedForm):
    effective_from = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}),
                                     help_text="自该日所在的周期起按新版本评估")
    required = forms.DecimalField(label="要求", min_value=0, max_digits=9, decimal_places=2)
    enabled = forms.BooleanField(label="启用", required=False, help_text="不勾选即自生效日期起停用这条规则")
    name = forms.CharField(label="名称", max_length=200)

    EXPECTED = {"effective_from": _DATE, "required": _REQUIRED, "name": "不超过 200 个字的规则名称"}


def _choices(values: list[str]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


class RuleCreateForm(_ExplainedForm):
    code = forms.CharField(label="规则编码", max_length=64, help_text="英文字母、数字和连字符，如 k1-branch-lectures")
    owner_code = forms.CharField(label="制定组织（组织编码）", max_length=64,
                                 help_text="您管理的组织；规则约束该组织及其全部下级。填省级组织编码即为省级规则")
    effective_from = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label="名称", max_length=200)
    source = forms.CharField(label="制度原文", widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="这条规则的依据，如本级文件的原句")
    subject_type = forms.ChoiceField(label="对象", choices=SubjectType.choices)
    metric = forms.ChoiceField(label="指标", choices=Metric.choices,
                               help_text="组织：主办活动次数、中心组成员出席率（%）；人员：主讲活动次数、认定学时或认定天数")
    kinds = forms.MultipleChoiceField(label="计入的活动类型", choices=ActivityKind.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple, help_text="不选即不限类型")
    period = forms.ChoiceField(label="周期", choices=PeriodKind.choices)
    window_years = forms.IntegerField(label="累计年数", min_value=1, max_value=10, initial=1, required=False,
                                      help_text="周期为连续多年累计时填写，2 到 10")
    required = forms.DecimalField(label="要求", min_value=0, max_digits=9, decimal_places=2)
    off_job_only = forms.BooleanField(label="只计脱产培训", required=False)
    training_type = forms.ChoiceField(label="只计培训类别", choices=[("", "不限"), *TrainingType.choices],
                                      required=False)
    org_levels = forms.MultipleChoiceField(label="组织层级", choices=Level.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    org_kinds = forms.MultipleChoiceField(label="组织类型", choices=Kind.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    org_sectors = forms.MultipleChoiceField(label="单位类别", choices=Sector.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    central_group_only = forms.BooleanField(label="只对设有中心组的组织", required=False)
    with_parent_only = forms.BooleanField(label="只对有上级的组织", required=False)
    person_ranks = forms.MultipleChoiceField(label="职级", choices=Rank.choices, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    person_leader_posts = forms.MultipleChoiceField(label="领导职务", choices=LeaderPost.choices, required=False,
                                                    widget=forms.CheckboxSelectMultiple)
    person_groups = forms.MultipleChoiceField(label="关注群体", choices=FocusGroup.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)

    EXPECTED = {
        "code": "不超过 64 个字符的英文字母、数字和连字符", "owner_code": "您管理的组织的编码", "effective_from": _DATE,
        "name": "不超过 200 个字的规则名称", "source": "制度原文", "subject_type": "组织或人员",
        "metric": "、".join(Metric.labels) + "之一", "kinds": "、".join(ActivityKind.values) + "中的一项或几项",
        "period": "每季度、每年或连续多年累计", "window_years": "1 到 10 的整数", "required": _REQUIRED,
        "training_type": "、".join(TrainingType.values) + "之一", "org_levels": "、".join(Level.values) + "中的几项",
        "org_kinds": "、".join(Kind.values) + "中的几项", "org_sectors": "、".join(Sector.values) + "中的几项",
        "person_ranks": "、".join(Rank.values) + "中的几项",
        "person_leader_posts": "、".join(LeaderPost.values) + "中的几项",
        "person_groups": "、".join(FocusGroup.values) + "中的几项",
    }


class ExemptionForm(_ExplainedForm):
    subject_type = forms.ChoiceField(label="对象", choices=SubjectType.choices, initial=SubjectType.PERSON)
    subject = forms.CharField(label="组织编码或人员编号", max_length=64)
    period = forms.CharField(label="周期", max_length=16, help_text="如 2025、2025-Q1 或 2021-2025")
    reason = forms.CharField(label="理由", max_length=300, help_text="如：2025 年 10 月新任、长期病休")

    EXPECTED = {"subject_type": "组织或人员", "subject": "您管理的组织编码或人员编号",
                "period": "2025、2025-Q1 或 2021-2025 这样的周期", "reason": "不超过 300 个字的理由"}


def _form_error(form: forms.Form, exc: DomainError, default_field: str | None = None) -> None:
    """A service's refusal shown on the field it names (or on `default_field`), or above the form.

    A code typed into a form that names something unseen gets the same field error as a missing one.
    """
    name = exc.field or default_field
    form.add_error(name if name in form.fields else None, exc.detail)


# -- 制度要求 --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RuleRow:
    view: selectors.RuleView
    terms: TermsText
    history: list[tuple[RuleVersion, TermsText]]
    form: RuleVersionForm | None


def _version_form(view: selectors.RuleView, data: Any = None) -> RuleVersionForm:
    shown = view.shown
    return RuleVersionForm(data, auto_id=f"id_{view.rule.code}_%s", initial={
        "required": _plain(shown.required), "enabled": shown.enabled, "name": shown.name})


def _rules_page(request: HttpRequest, scope: Scope, *, create_form: RuleCreateForm | None = None,
                failed: tuple[str, RuleVersionForm] | None = None) -> HttpResponse:
    today = timezone.localdate()
    page = paginate(selectors.rule_list(scope=scope), page=page_number(request))
    rows = []
    for view in selectors.rule_views(scope=scope, rules=page.items, on=today):
        form = None
        if view.may_edit:
            form = failed[1] if failed and failed[0] == view.rule.code else _version_form(view)
        rows.append(RuleRow(view=view, terms=terms_text(view.shown),
                            history=[(v, terms_text(v)) for v in view.versions], form=form))
    return render(request, "web/norms/rules.html", {
        "page": page, "rows": rows, "today": today, "can_create": scope.is_org_admin,
        "create_form": create_form or RuleCreateForm(initial={"effective_from": date(today.year + 1, 1, 1)}),
        "create_open": create_form is not None, "failed_code": failed[0] if failed else "",
    })


def _back_to_rules(request: HttpRequest) -> str:
    page = page_number(request)
    return reverse("web:rule_list") + (f"?page={page}" if page > 1 else "")


@login_required
@require_http_methods(["GET", "POST"])
def rule_list(request: HttpRequest) -> HttpResponse:
    """制度要求: the rules with their terms and versions; an administrator adds a rule for their organizations."""
    scope = _scope(request)
    scope.require_business_data()
    if request.method != "POST":
        return _rules_page(request, scope)
    if not scope.is_org_admin:
        raise Forbidden("rule_forbidden", "只有组织管理员可以增设规则")
    form = RuleCreateForm(request.POST)
    if not form.is_valid():
        form.explain()
        return _rules_page(request, scope, create_form=form)
    data = form.cleaned_data
    terms = services.RuleTerms(**{name: data[name] for name in services.RULE_TERM_FIELDS
                                  if name in data and data[name] is not None})
    try:
        rule = services.rule_create(actor=request.user, scope=scope, code=data["code"],  # type: ignore[arg-type]
                                    owner_code=data["owner_code"], effective_from=data["effective_from"],
                                    terms=terms)
    except DomainError as exc:
        _form_error(form, exc, default_field="owner_code")
        return _rules_page(request, scope, create_form=form)
    messages.success(request, f"已增设规则 {rule.code}“{data['name']}”，自 {data['effective_from']:%Y-%m-%d} 起生效。")
    return redirect("web:rule_list")


@login_required
@require_POST
def rule_version_add(request: HttpRequest, code: str) -> HttpResponse:
    """A rule's new version from a date: the threshold, switched on or off, its name."""
    scope = _scope(request)
    view = selectors.rule_detail(scope=scope, code=code, on=timezone.localdate())
    if not view.may_edit:
        owner = view.rule.owner
        who = owner.name if owner else "省级组织"
        raise Forbidden("rule_forbidden", f"规则 {code} 由{who}的管理员修改，您只能查看")
    form = _version_form(view, request.POST)
    if not form.is_valid():
        form.explain()
        return _rules_page(request, scope, failed=(code, form))
    data = form.cleaned_data
    try:
        services.rule_version_change(actor=request.user, scope=scope, code=code,  # type: ignore[arg-type]
                                     effective_from=data["effective_from"],
                                     changes={"required": data["required"], "enabled": data["enabled"],
                                              "name": data["name"]})
    except DomainError as exc:
        _form_error(form, exc)
        return _rules_page(request, scope, failed=(code, form))
    state = "启用" if data["enabled"] else "停用"
    messages.success(request, f"规则 {code} 自 {data['effective_from']:%Y-%m-%d} 起：要求 {_plain(data['required'])}，"
                              f"{state}。")
    return redirect(_back_to_rules(request))


# -- 单位类别模板 -----------------------------------------------------------------------------------------
class SectorTemplateForm(_ExplainedForm):
    """One 单位类别's figures, a field per rule the viewer may edit; blank follows the rule's general figure."""

    effective_from = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}),
                                     help_text="自该日所在的周期起适用")

    EXPECTED = {"effective_from": _DATE}

    def __init__(self, template: selectors.SectorTemplate, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.codes = []
        for cell in template.cells:
            version = cell.view.current
            if not cell.view.may_edit or not cell.applies or version is None:
                continue
            code = cell.view.rule.code
            self.codes.append(code)
            self.fields[f"figure_{code}"] = forms.DecimalField(
                label=f"{version.name}（{UNITS.get(version.metric, '')}）", min_value=0, max_digits=9,
                decimal_places=2, required=False,
                help_text=f"空着即按规则的一般要求 {figure_text(version, version.required)}")
            self.initial[f"figure_{code}"] = _plain(cell.figure) if cell.own and cell.figure is not None else ""
            self.EXPECTED = {**self.EXPECTED, f"figure_{code}": _REQUIRED}


@login_required
@require_http_methods(["GET", "POST"])
def sector_templates(request: HttpRequest) -> HttpResponse:
    """单位类别模板: each 单位类别's requirement under every rule; a rule's managers set a 单位类别's own figure."""
    scope = _scope(request)
    today = timezone.localdate()
    editing = request.POST.get("sector") or request.GET.get("edit", "")
    form = None
    if editing in Sector.values:
        template = selectors.sector_templates(scope=scope, on=today, sectors=[editing])[0]
        form = SectorTemplateForm(template, request.POST if request.method == "POST" else None,
                                  initial={"effective_from": date(today.year + 1, 1, 1)})
        if not form.codes:
            form = None
    if request.method == "POST":
        if form is None:
            raise Forbidden("rule_forbidden", "您不管理任何适用于该单位类别的规则")
        if form.is_valid():
            data = form.cleaned_data
            try:
                changed = services.sector_template_save(
                    actor=request.user, scope=scope, sector=editing,  # type: ignore[arg-type]
                    effective_from=data["effective_from"],
                    figures={code: data[f"figure_{code}"] for code in form.codes})
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, f"{editing}模板：自 {data['effective_from']:%Y-%m-%d} 起修改了 "
                                          f"{len(changed)} 条规则的要求。" if changed else f"{editing}模板没有变化。")
                return redirect("web:sector_templates")
        else:
            form.explain()
    templates = selectors.sector_templates(scope=scope, on=today)
    # A row per rule, a column per 单位类别.
    rows = [(cell.view, UNITS.get(cell.view.shown.metric, ""), [t.cells[i] for t in templates])
            for i, cell in enumerate(templates[0].cells)] if templates else []
    return render(request, "web/norms/sector_templates.html", {
        "templates": templates, "rows": rows, "form": form, "editing": editing, "today": today,
        "can_edit": any(view.may_edit for view, _, _ in rows),
    })


# -- 豁免 ---------------------------------------------------------------------------------------------
def _subject_path(exemption: Exemption) -> str:
    if exemption.org is not None:
        return exemption.org.path
    assert exemption.person is not None  # the database holds one subject or the other
    return exemption.person.org.path


@login_required
@require_http_methods(["GET", "POST"])
def rule_exemptions(request: HttpRequest, code: str) -> HttpResponse:
    """A rule's exemptions in the viewer's scope; an administrator grants one for a subject they administer."""
    scope = _scope(request)
    today = timezone.localdate()
    view = selectors.rule_detail(scope=scope, code=code, on=today)
    form = ExemptionForm(initial={"period": str(today.year)})
    if request.method == "POST":
        if not scope.is_org_admin:
            raise Forbidden("exemption_forbidden", "只有组织管理员可以批准豁免")
        form = ExemptionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            subject = data["subject"].strip()
            try:
                services.exemption_grant(
                    actor=request.user, scope=scope, rule_code=code, period=data["period"],  # type: ignore[arg-type]
                    reason=data["reason"], org_code=subject if data["subject_type"] == SubjectType.ORG else "",
                    person_number=subject if data["subject_type"] == SubjectType.PERSON else "")
            except DomainError as exc:
                _form_error(form, exc, default_field="subject")
            else:
                messages.success(request, f"已豁免 {subject} 在 {data['period'].strip()} 的“{view.shown.name}”。")
                return redirect("web:rule_exemptions", code)
        else:
            form.explain()
    period = request.GET.get("period", "").strip()
    page = paginate(selectors.exemption_list(scope=scope, rule_code=code, period=period), page=page_number(request))
    rows = [(e, scope.covers_path(_subject_path(e), write=True)) for e in page.items]
    return render(request, "web/norms/exemptions.html", {
        "view": view, "terms": terms_text(view.shown), "page": page, "rows": rows, "form": form,
        "can_grant": scope.is_org_admin, "period": period,
        "page_query": urlencode({"period": period}) if period else "",
    })


@login_required
@require_POST
def exemption_revoke(request: HttpRequest, code: str, exemption_id: int) -> HttpResponse:
    scope = _scope(request)
    revoked = services.exemption_revoke(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                        exemption_id=exemption_id, rule_code=code)
    subject = revoked.org.code if revoked.org else revoked.person.number if revoked.person else ""
    messages.success(request, f"已撤销 {subject} 在 {revoked.period} 的豁免。")
    return redirect("web:rule_exemptions", code)
