"""评学 and 奖惩 pages: an organization's evaluations, scorecards and commendations and penalties; an evaluation's
votes entered by form or spreadsheet and its result; the province's scorecard weights; the exports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from xuexi.accounts.scope import Scope
from xuexi.assessment import scorecard, selectors, services
from xuexi.assessment.access import (
    access_evaluation,
    access_evidence,
    access_penalty,
    require_weights_setter,
    sets_weights,
)
from xuexi.assessment.models import (
    CommendationKind,
    EvaluationKind,
    EvaluationStatus,
    Grade,
    PenaltyKind,
    ScorecardWeights,
)
from xuexi.errors import DomainError, ErrorKind
from xuexi.orgs.access import access_org
from xuexi.web.editing import form_page
from xuexi.web.norms import _ExplainedForm
from xuexi.web.uploads import read_upload, stored_file_response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATE = "日期，如 2026-06-30"


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _xlsx(filename: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _detail(pk: int) -> str:
    return reverse("web:evaluation_detail", args=[pk])


class _Form(_ExplainedForm):
    def is_valid(self) -> bool:
        valid = super().is_valid()
        if not valid:
            self.explain()
        return valid


class EvaluationForm(_Form):
    title = forms.CharField(label="标题", max_length=200, help_text="如：2025 年度民主评议党员")
    kind = forms.ChoiceField(label="类别", choices=EvaluationKind.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    opens = forms.DateField(label="开始日期", widget=_DAY)
    closes = forms.DateField(label="结束日期", widget=_DAY)
    excellent_cap = forms.IntegerField(label="优秀比例上限（%）", min_value=0, max_value=100, initial=20,
                                       help_text="评为优秀的人数占参评人数的上限，结束评议时检查")
    EXPECTED = {"title": "不超过 200 个字的标题", "kind": "、".join(EvaluationKind.values),
                "year": "2000 到 2100 之间的年份", "opens": _DATE, "closes": _DATE,
                "excellent_cap": "0 到 100 之间的整数"}


class ReviewForm(_Form):
    person_number = forms.CharField(label="人员编号", max_length=64)
    excellent = forms.IntegerField(label="优秀票", min_value=0, initial=0)
    qualified = forms.IntegerField(label="合格票", min_value=0, initial=0)
    basic = forms.IntegerField(label="基本合格票", min_value=0, initial=0)
    unqualified = forms.IntegerField(label="不合格票", min_value=0, initial=0)
    grade = forms.ChoiceField(label="评定等次", required=False, choices=[("", "按得票评定"), *Grade.choices])
    note = forms.CharField(label="说明", max_length=500, required=False)
    EXPECTED = {"person_number": "参评党员的人员编号", "excellent": "不小于 0 的整数", "qualified": "不小于 0 的整数",
                "basic": "不小于 0 的整数", "unqualified": "不小于 0 的整数", "grade": "、".join(Grade.values),
                "note": "不超过 500 个字"}


class UploadForm(forms.Form):
    file = forms.FileField()


class WeightsForm(_Form):
    norms_weight = forms.IntegerField(label="制度落实权重", min_value=0, max_value=100)
    exams_weight = forms.IntegerField(label="考学权重", min_value=0, max_value=100)
    reports_weight = forms.IntegerField(label="述学权重", min_value=0, max_value=100)
    review_weight = forms.IntegerField(label="民主评议权重", min_value=0, max_value=100,
                                       help_text="四项权重之和应为 100")
    rating_excellent = forms.IntegerField(label="述学优秀得分", min_value=0, max_value=100)
    rating_good = forms.IntegerField(label="述学良好得分", min_value=0, max_value=100)
    rating_fair = forms.IntegerField(label="述学一般得分", min_value=0, max_value=100)
    rating_poor = forms.IntegerField(label="述学较差得分", min_value=0, max_value=100)
    rating_missing = forms.IntegerField(label="未述学得分", min_value=0, max_value=100)
    grade_excellent = forms.IntegerField(label="评议优秀得分", min_value=0, max_value=100)
    grade_qualified = forms.IntegerField(label="评议合格得分", min_value=0, max_value=100)
    grade_basic = forms.IntegerField(label="评议基本合格得分", min_value=0, max_value=100)
    grade_unqualified = forms.IntegerField(label="评议不合格得分", min_value=0, max_value=100)
    EXPECTED = dict.fromkeys(services.WEIGHT_FIELDS + services.POINT_FIELDS, "0 到 100 之间的整数")


class SanctionForm(_Form):
    kind = forms.ChoiceField(label="类别")
    granted_by_code = forms.CharField(label="决定单位（组织编码）", max_length=64,
                                      help_text="对象所在组织或其上级组织，须在您的管理范围内")
    org_code = forms.CharField(label="对象组织（组织编码）", max_length=64, required=False)
    person_number = forms.CharField(label="对象个人（人员编号）", max_length=64, required=False,
                                    help_text="个人表彰（学习标兵）或对个人的惩戒时填写")
    reason = forms.CharField(label="事由", widget=forms.Textarea(attrs={"rows": 3}))
    date = forms.DateField(label="日期", widget=_DAY)
    deadline = forms.DateField(label="整改期限", widget=_DAY, required=False, help_text="限期整改时必填")
    evaluation_id = forms.IntegerField(label="依据的评学（编号）", required=False, min_value=1)
    inspection_number = forms.CharField(label="依据的督学检查（检查编号）", max_length=64, required=False)
    finding_id = forms.IntegerField(label="依据的检查问题（编号）", required=False, min_value=1)
    EXPECTED = {"kind": "列出的类别之一", "granted_by_code": "您管理的组织编码", "reason": "表彰或惩戒的事由",
                "date": _DATE, "deadline": _DATE, "evaluation_id": "评学编号（整数）",
                "finding_id": "检查问题编号（整数）"}

    def __init__(self, *args: Any, penalty: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = PenaltyKind.choices if penalty else CommendationKind.choices
        if not penalty:
            for name in ("deadline", "finding_id"):
                del self.fields[name]


# -- an organization's page ---------------------------------------------------------------------------------------
@login_required
def org_assessment(request: HttpRequest, code: str) -> HttpResponse:
    """评学和奖惩 of an organization: its evaluations, the scorecard of the organizations below it (and, asked for,
    of its leading cadres), and the commendations and penalties of its subtree."""
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    year = _year(request)
    cadres = request.GET.get("cadres") == "1"
    return render(request, "web/assessment/org.html", {
        "org": org, "year": year, "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "evaluations": selectors.evaluation_list(scope=scope, org=org)[:50],
        "weights": scorecard.weights_for(year),
        "org_cards": scorecard.org_scorecards(scope=scope, org=org, year=year),
        "cadre_cards": scorecard.cadre_scorecards(scope=scope, org=org, year=year) if cadres else None,
        "commendations": selectors.commendation_list(scope=scope, org=org)[:100],
        "penalties": selectors.penalty_list(scope=scope, org=org)[:100],
        "can_write": scope.covers_path(org.path, write=True),
    })


@login_required
def org_assessment_export(request: HttpRequest, code: str) -> HttpResponse:
    """The scorecard as .xlsx: ?kind=appraisal (领导班子和领导干部综合考核评价), best (党建评先) or cadres."""
    filename, data = services.scorecard_export(actor=request.user, scope=_scope(request),  # type: ignore[arg-type]
                                               org_code=code, year=_year(request),
                                               kind=request.GET.get("kind", "appraisal"))
    return _xlsx(filename, data)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request: HttpRequest, code: str) -> HttpResponse:
    """Open an evaluation organized by this organization."""
    scope = _scope(request)
    org = access_org(scope=scope, code=code, write=True)
    today = timezone.localdate()

    def save(data: dict[str, Any]) -> tuple[str, str]:
        evaluation = services.evaluation_create(
            actor=request.user, scope=scope, org_code=org.code,  # type: ignore[arg-type]
            data=services.EvaluationInput(title=data["title"], year=data["year"], kind=data["kind"],
                                          opens=data["opens"], closes=data["closes"],
                                          excellent_cap=data["excellent_cap"]))
        return (f"已新建评学“{evaluation.title}”（编号 {evaluation.pk}），请在下方列表中打开它录入票数。",
                reverse("web:org_assessment", args=[org.code]))

    form = EvaluationForm(request.POST or None, initial={
        "year": today.year - 1, "opens": today, "closes": today, "kind": EvaluationKind.MEMBER_REVIEW,
        "title": f"{today.year - 1} 年度民主评议党员", "excellent_cap": 20})
    return form_page(request, form, title=f"{org.name}：新建评学",
                     back_url=reverse("web:org_assessment", args=[org.code]), save=save)


# -- one evaluation -----------------------------------------------------------------------------------------------
@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An evaluation: the members' votes and grades; its organizers enter votes, import them and close it."""
    scope = _scope(request)
    evaluation = access_evaluation(scope=scope, pk=pk)
    view = selectors.evaluation_detail(scope=scope, evaluation=evaluation)
    writable = scope.covers_path(evaluation.org.path, write=True) and evaluation.status == EvaluationStatus.OPEN
    return render(request, "web/assessment/evaluation.html", {
        "view": view, "evaluation": evaluation, "writable": writable, "form": ReviewForm(),
        "grades": Grade.values,
    })


@login_required
@require_POST
def review_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Record one member's votes (and the organization's grade, if decided)."""
    scope = _scope(request)
    access_evaluation(scope=scope, pk=pk, write=True)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(str(e) for e in errors))
        return redirect(_detail(pk))
    data = form.cleaned_data
    try:
        services.reviews_record(actor=request.user, scope=scope, evaluation_id=pk,  # type: ignore[arg-type]
                                entries=[services.ReviewInput(
                                    person_number=data["person_number"],
                                    votes=(data["excellent"], data["qualified"], data["basic"], data["unqualified"]),
                                    grade=data["grade"], note=data["note"])])
    except DomainError as exc:
        if exc.kind not in (ErrorKind.INVALID, ErrorKind.CONFLICT):
            raise
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"已保存 {data['person_number']} 的评议结果。")
    return redirect(_detail(pk))


@login_required
@require_POST
def review_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Import votes from a spreadsheet: all rows or none, each bad cell named."""
    scope = _scope(request)
    access_evaluation(scope=scope, pk=pk, write=True)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要导入的 .xlsx、.xls 或 .csv 文件。")
        return redirect(_detail(pk))
    upload = form.cleaned_data["file"]
    try:
        result = services.reviews_import(actor=request.user, scope=scope, evaluation_id=pk,  # type: ignore[arg-type]
                                         data=read_upload(upload), filename=upload.name or "")
    except DomainError as exc:
        if exc.kind not in (ErrorKind.INVALID, ErrorKind.CONFLICT):
            raise
        messages.error(request, exc.detail)
        return redirect(_detail(pk))
    if result.ok:
        messages.success(request, f"已导入 {result.rows} 行：新增 {result.created}，更新 {result.updated}。")
    else:
        messages.error(request, "文件有误，未导入任何一行：" + "；".join(str(e) for e in result.errors[:30]))
    return redirect(_detail(pk))


@login_required
@require_POST
def evaluation_close(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    access_evaluation(scope=scope, pk=pk, write=True)
    try:
        services.evaluation_close(actor=request.user, scope=scope, evaluation_id=pk)  # type: ignore[arg-type]
    except DomainError as exc:
        if exc.kind not in (ErrorKind.INVALID, ErrorKind.CONFLICT):
            raise
        messages.error(request, exc.detail)
    else:
        messages.success(request, "评学已结束，结果不再修改。")
    return redirect(_detail(pk))


@login_required
def evaluation_export(request: HttpRequest, pk: int) -> HttpResponse:
    """民主评议党员 as .xlsx (also the template of the import)."""
    filename, data = services.evaluation_export(actor=request.user, scope=_scope(request),  # type: ignore[arg-type]
                                                evaluation_id=pk)
    return _xlsx(filename, data)


# -- weights ------------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def weights_page(request: HttpRequest) -> HttpResponse:
    """考核权重 of a year: seen by everyone who sees organizations, set by the province's administrators."""
    scope = _scope(request)
    scope.require_business_data()
    year = _year(request)
    may_set = sets_weights(scope)
    if request.method == "POST" and not may_set:
        require_weights_setter(scope)
    weights = scorecard.weights_for(year)
    row = ScorecardWeights.objects.filter(year=year).first() or ScorecardWeights(year=year)
    initial = {f: getattr(row, f) for f in services.WEIGHT_FIELDS + services.POINT_FIELDS}
    form = WeightsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.weights_save(actor=request.user, scope=scope, year=year,  # type: ignore[arg-type]
                                  values=form.cleaned_data)
        except DomainError as exc:
            if exc.kind != ErrorKind.INVALID:
                raise
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        else:
            messages.success(request, f"已保存 {year} 年度考核权重。")
            return redirect(f"{reverse('web:assessment_weights')}?year={year}")
    return render(request, "web/assessment/weights.html", {
        "form": form, "year": year, "weights": weights, "may_set": may_set,
        "years": range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1),
    })


# -- 奖惩 ----------------------------------------------------------------------------------------------------------
def _sanction_page(request: HttpRequest, code: str, *, penalty: bool) -> HttpResponse:
    scope = _scope(request)
    org = access_org(scope=scope, code=code, write=True)
    form = SanctionForm(request.POST or None, penalty=penalty,
                        initial={"granted_by_code": org.code, "org_code": org.code, "date": timezone.localdate()})
    label = "惩戒" if penalty else "表彰"
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.SanctionInput(
            kind=d["kind"], granted_by_code=d["granted_by_code"], reason=d["reason"], date=d["date"],
            org_code=d["org_code"], person_number=d["person_number"], evaluation_id=d["evaluation_id"],
            inspection_number=d["inspection_number"], finding_id=d.get("finding_id"), deadline=d.get("deadline"))
        try:
            files = [services.EvidenceFile(f.name or "", read_upload(f)) for f in request.FILES.getlist("files")]
            grant = services.penalty_grant if penalty else services.commendation_grant
            grant(actor=request.user, scope=scope, data=data, files=files)  # type: ignore[arg-type]
        except DomainError as exc:
            if exc.kind not in (ErrorKind.INVALID,):
                raise
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        else:
            messages.success(request, f"已记录{label}。")
            return redirect(reverse("web:org_assessment", args=[org.code]))
    return render(request, "web/assessment/sanction_form.html", {
        "form": form, "org": org, "title": f"{org.name}：新增{label}"})


@login_required
@require_http_methods(["GET", "POST"])
def commendation_create(request: HttpRequest, code: str) -> HttpResponse:
    """表彰 (先进集体, 学习标兵) decided by this organization, with evidence files."""
    return _sanction_page(request, code, penalty=False)


@login_required
@require_http_methods(["GET", "POST"])
def penalty_create(request: HttpRequest, code: str) -> HttpResponse:
    """惩戒 (通报批评, 限期整改) decided by this organization, with evidence files."""
    return _sanction_page(request, code, penalty=True)


@login_required
@require_POST
def penalty_rectified(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a 限期整改 as rectified (the deciding organization)."""
    scope = _scope(request)
    penalty = access_penalty(scope=scope, pk=pk, write=True)
    try:
        services.penalty_rectified(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                   penalty_id=pk, note=request.POST.get("note", ""))
    except DomainError as exc:
        if exc.kind not in (ErrorKind.INVALID, ErrorKind.CONFLICT):
            raise
        messages.error(request, exc.detail)
    else:
        messages.success(request, "已标记整改完成。")
    return redirect(reverse("web:org_assessment", args=[penalty.org.code]))


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = access_evidence(scope=_scope(request), pk=pk)
    return stored_file_response(sha256=evidence.sha256, name=evidence.name, content_type=evidence.content_type)
