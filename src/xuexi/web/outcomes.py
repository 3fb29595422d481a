"""成果转化 pages: an organization's outcomes (and its subtree's), recording and changing one, its files."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from xuexi.accounts.audit import audit_record
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, NotFound
from xuexi.learning import attachments
from xuexi.learning.models import ContentArea
from xuexi.orgs.access import access_org
from xuexi.orgs.models import Organization
from xuexi.outcomes import experiences, exporting
from xuexi.outcomes import selectors as outcome_selectors
from xuexi.outcomes import services as outcome_services
from xuexi.outcomes.access import access_outcome
from xuexi.outcomes.models import Adoption, ExperienceStatus, Outcome, OutcomeKind
from xuexi.pagination import page_number, paginate
from xuexi.web.editing import form_page
from xuexi.web.learning import XLSX_CONTENT_TYPE
from xuexi.web.norms import _ExplainedForm
from xuexi.web.uploads import keep_upload, read_upload, stored_file_response

FIRST_YEAR = 2010
ALL_YEARS = "all"
NUMBER_SEPARATORS = re.compile(r"[\s,，、;；]+")


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _detail(number: str) -> str:
    return reverse("web:outcome_detail", args=[number])


def _year(request: HttpRequest) -> int | None:
    """The ?year= of the list: a year, ALL_YEARS for every year, this year when absent or not understood."""
    today = timezone.localdate()
    text = request.GET.get("year", "")
    if text == ALL_YEARS:
        return None
    try:
        return min(max(int(text), FIRST_YEAR), today.year)
    except ValueError:
        return today.year


def _export(request: HttpRequest, org: Organization, rows: list[Outcome], counts: dict[str, int] | None,
            experience_counts: dict[str, int] | None, year: int | None) -> HttpResponse:
    data, listed = exporting.workbook(rows, counts, experience_counts, year)
    audit_record(action="export", actor=request.user, object_type="outcomes",  # type: ignore[arg-type]
                 object_id=org.code, detail={"rows": listed, "year": year or ALL_YEARS})
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="outcomes-{org.code}-{year or ALL_YEARS}.xlsx"'
    return response


@login_required
def org_outcomes(request: HttpRequest, code: str) -> HttpResponse:
    """成果转化: an organization's outcomes and, unless only its own are asked for, its subtree's; exportable."""
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    year = _year(request)
    kind = request.GET.get("kind", "")
    if kind not in OutcomeKind.values:
        kind = ""
    own = request.GET.get("own") == "1"
    # The list keeps the withdrawn outcomes, marked; the counts leave them out.
    rows = outcome_selectors.outcomes_of(scope=scope, org=org, year=year, subtree=not own, kind=kind, withdrawn=True)
    counts = (None if year is None else
              outcome_selectors.outcome_counts(scope=scope, org=org, year=year, subtree=not own))
    experience_counts = (None if year is None else
                         outcome_selectors.experience_counts(scope=scope, org=org, year=year, subtree=not own))
    if request.GET.get("format") == "xlsx":
        return _export(request, org, list(rows), counts, experience_counts, year)
    query = urlencode({"year": year or ALL_YEARS, "kind": kind, "own": "1" if own else ""})
    return render(request, "web/outcomes/list.html", {
        "org": org, "year": year, "all_years": ALL_YEARS, "kind": kind, "own": own, "kinds": OutcomeKind.values,
        "years": range(timezone.localdate().year, FIRST_YEAR - 1, -1),
        "kind_counts": [(k, counts[k]) for k in OutcomeKind.values] if counts else [],
        "adopted": counts[outcome_selectors.ADOPTED] if counts else 0,
        "experience_counts": experience_counts,
        "page": paginate(rows, page=page_number(request)),
        "page_query": query, "can_write": scope.covers_path(org.path, write=True),
    })


_DATE = "日期，如 2025-06-30"


class OutcomeForm(_ExplainedForm):
    kind = forms.ChoiceField(label="成果类别", choices=OutcomeKind.choices)
    title = forms.CharField(label="标题", max_length=300)
    # An <input type="date"> shows only an ISO date: the initial value is written so.
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           help_text="成果形成、报送或刊发的日期")
    summary = forms.CharField(label="内容摘要", required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    activity_numbers = forms.CharField(label="来源活动编号", required=False, max_length=2000,
                                       help_text="形成本成果的学习活动，多个以逗号、顿号或空格分隔；调研报告只能来自专题调研或调查研究")
    author_numbers = forms.CharField(label="执笔人（人员编号）", required=False, max_length=2000,
                                     help_text="本组织或其下级组织的人员，多个以逗号、顿号或空格分隔；可不填")
    adoption = forms.ChoiceField(label="采纳情况（仅决策建议）", required=False,
                                 choices=[("", "—"), *Adoption.choices])
    decision_name = forms.CharField(label="决策名称/文号（仅已采纳、部分采纳的决策建议）", required=False,
                                    max_length=300)
    decision_date = forms.DateField(label="决策日期（仅已采纳、部分采纳的决策建议）", required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    outlet = forms.CharField(label="媒体（仅媒体报道）", required=False, max_length=200, help_text="如 吉林日报")
    link = forms.CharField(label="链接（仅媒体报道）", required=False, max_length=500,
                           help_text="报道的网址，http:// 或 https:// 开头；可不填")

    EXPECTED = {
        "kind": "、".join(OutcomeKind.values) + "之一", "title": "不超过 300 个字符的标题", "date": _DATE,
        "summary": "不超过 5000 个字符的摘要", "activity_numbers": "以逗号分隔的活动编号，共不超过 2000 个字符",
        "author_numbers": "以逗号分隔的人员编号，共不超过 2000 个字符", "adoption": "、".join(Adoption.values) + "之一",
        "decision_name": "不超过 300 个字符的决策名称或文号", "decision_date": _DATE,
        "outlet": "不超过 200 个字符的媒体名称", "link": "不超过 500 个字符的网址",
    }


def _numbers(text: str) -> list[str]:
    return [n for n in NUMBER_SEPARATORS.split(text) if n]


def _fields(data: dict[str, Any]) -> outcome_services.OutcomeFields:
    return outcome_services.OutcomeFields(
        kind=data["kind"], title=data["title"], date=data["date"], summary=data["summary"],
        author_numbers=_numbers(data["author_numbers"]), activity_numbers=_numbers(data["activity_numbers"]),
        adoption=data["adoption"], decision_name=data["decision_name"], decision_date=data["decision_date"],
        outlet=data["outlet"], link=data["link"],
    )


def _outcome_form_page(request: HttpRequest, form: OutcomeForm, **page: Any) -> HttpResponse:
    if request.method == "POST" and not form.is_valid():
        form.explain()
    return form_page(request, form, **page)


@login_required
@require_http_methods(["GET", "POST"])
def outcome_create(request: HttpRequest, code: str) -> HttpResponse:
    """Record an outcome of this organization; ?activity= names the activity it came from."""
    scope = _scope(request)
    org = access_org(scope=scope, code=code, write=True)
    initial = {"date": timezone.localdate(), "activity_numbers": request.GET.get("activity", "")[:64]}

    def save(data: dict[str, Any]) -> tuple[str, str]:
        outcome = outcome_services.outcome_create(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                                  org_code=org.code, fields=_fields(data))
        return f"已登记成果“{outcome.title}”（{outcome.number}）。", _detail(outcome.number)

    return _outcome_form_page(request, OutcomeForm(request.POST or None, initial=initial),
                              title=f"{org.name}：登记学习成果", back_url=reverse("web:org_outcomes", args=[org.code]),
                              save=save)


@login_required
@require_http_methods(["GET", "POST"])
def outcome_edit(request: HttpRequest, number: str) -> HttpResponse:
    """Change an outcome; its organization and number stay."""
    scope = _scope(request)
    outcome = access_outcome(scope=scope, number=number, write=True)
    visible, _ = outcome_selectors.outcome_sources(scope=scope, outcome=outcome)
    initial = {name: getattr(outcome, name) for name in ("kind", "title", "date", "summary", "adoption",
                                                         "decision_name", "decision_date", "outlet", "link")}
    initial["activity_numbers"] = "、".join(a.number for a in visible)
    initial["author_numbers"] = "、".join(p.number for p in outcome_selectors.outcome_authors(outcome=outcome))

    def save(data: dict[str, Any]) -> tuple[str, str]:
        outcome_services.outcome_update(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                        number=number, fields=_fields(data))
        return "已保存。", _detail(number)

    return _outcome_form_page(request, OutcomeForm(request.POST or None, initial=initial),
                              title=f"修改成果：{outcome.title}", back_url=_detail(number), save=save)


@login_required
def outcome_detail(request: HttpRequest, number: str) -> HttpResponse:
    """An outcome: what it is, the activities it came from, who wrote it, its files."""
    scope = _scope(request)
    outcome = access_outcome(scope=scope, number=number)
    sources, hidden = outcome_selectors.outcome_sources(scope=scope, outcome=outcome)
    can_write = scope.covers_path(outcome.org.path, write=True)
    live = outcome.withdrawn_at is None
    experience = outcome.kind == OutcomeKind.TYPICAL_EXPERIENCE
    reviewing = live and experience and experiences.may_review(scope, outcome)
    return render(request, "web/outcomes/detail.html", {
        "outcome": outcome, "sources": sources, "hidden_sources": hidden,
        "authors": outcome_selectors.outcome_authors(outcome=outcome),
        "attachments": outcome_selectors.outcome_attachments(outcome=outcome),
        "max_attachment_mb": attachments.max_bytes() // attachments.MIB,
        "can_write": can_write and live, "can_edit": can_write and live and outcome.status == ExperienceStatus.RECORDED,
        "can_submit": (can_write and live and experience and outcome.status == ExperienceStatus.RECORDED
                       and outcome.org.depth > 1),
        "can_decide": reviewing and outcome.status == ExperienceStatus.SUBMITTED,
        "can_return": reviewing and outcome.status in (ExperienceStatus.SUBMITTED, ExperienceStatus.APPROVED),
        "can_publish": reviewing and outcome.status == ExperienceStatus.APPROVED,
        "events": outcome_selectors.experience_events(outcome=outcome) if experience else [],
        "areas": ContentArea.choices,
    })


class OutcomeAttachmentForm(forms.Form):
    file = forms.FileField(label="文件", allow_empty_file=True)


@login_required
@require_POST
def outcome_attachment_upload(request: HttpRequest, number: str) -> HttpResponse:
    """Keep a file with the outcome; the size is checked before the content is read."""
    scope = _scope(request)
    access_outcome(scope=scope, number=number, write=True)
    form = OutcomeAttachmentForm(request.POST, request.FILES)

    def keep(upload: UploadedFile) -> str:
        return outcome_services.outcome_attachment_add(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                                       number=number, name=upload.name or "",
                                                       data=read_upload(upload)).name

    return keep_upload(request, form, keep, back=_detail(number))


@login_required
def outcome_attachment_download(request: HttpRequest, number: str, attachment_id: int) -> FileResponse:
    """A file of an outcome in scope, always as a download, never rendered by the browser."""
    attachment = outcome_selectors.attachment_for_download(scope=_scope(request), number=number,
                                                           attachment_id=attachment_id)
    audit_record(action="outcome_attachment_download", actor=request.user,  # type: ignore[arg-type]
                 object_type="outcome", object_id=number, object_repr=attachment.name,
                 detail={"attachment": attachment.pk})
    return stored_file_response(sha256=attachment.sha256, name=attachment.name, content_type=attachment.content_type)


@login_required
@require_POST
def outcome_attachment_remove(request: HttpRequest, number: str, attachment_id: int) -> HttpResponse:
    removed = outcome_services.outcome_attachment_remove(actor=request.user, scope=_scope(request),  # type: ignore[arg-type]
                                                         number=number, attachment_id=attachment_id)
    messages.success(request, f"已移除附件“{removed.name}”（原件留存备查）。")
    return redirect(_detail(number))


def _act(request: HttpRequest, number: str, action: Any, done: str) -> HttpResponse:
    """Run one review step; a refusal of the input or of the state is shown on the outcome's page."""
    try:
        action()
    except DomainError as exc:
        if exc.kind in (ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND):
            raise
        messages.error(request, exc.detail)
    else:
        messages.success(request, done)
    return redirect(_detail(number))


@login_required
@require_POST
def experience_submit(request: HttpRequest, number: str) -> HttpResponse:
    """典型经验报送上级."""
    return _act(request, number, lambda: experiences.experience_submit(
        actor=request.user, scope=_scope(request), number=number), "已报送上级审核。")  # type: ignore[arg-type]


@login_required
@require_POST
def experience_review(request: HttpRequest, number: str) -> HttpResponse:
    """The level above decides: approve (and publish), return with a reason, or publish an approved one."""
    scope, actor = _scope(request), request.user
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")
    areas = [a for a in request.POST.getlist("areas") if a][:6]
    if decision == "approve":
        publish = request.POST.get("publish") == "1"
        return _act(request, number, lambda: experiences.experience_approve(
            actor=actor, scope=scope, number=number, comments=reason, areas=areas,  # type: ignore[arg-type]
            publish=publish), "已审核通过并入库。" if publish else "已审核通过。")
    if decision == "publish":
        return _act(request, number, lambda: experiences.experience_publish(
            actor=actor, scope=scope, number=number, areas=areas), "已入库。")  # type: ignore[arg-type]
    if decision == "return":
        return _act(request, number, lambda: experiences.experience_return(
            actor=actor, scope=scope, number=number, reason=reason), "已退回修改。")  # type: ignore[arg-type]
    raise NotFound("page_not_found", "页面不存在")


@login_required
@require_POST
def outcome_withdraw(request: HttpRequest, number: str) -> HttpResponse:
    """撤回 an outcome: kept, marked, counted no more."""
    return _act(request, number, lambda: outcome_services.outcome_withdraw(
        actor=request.user, scope=_scope(request), number=number,  # type: ignore[arg-type]
        reason=request.POST.get("reason", "")), "已撤回（记录保留，不再计入统计）。")


@login_required
def experience_inbox(request: HttpRequest) -> HttpResponse:
    """待审核的典型经验: what the organizations below the ones administered sent up and is not yet decided."""
    scope = _scope(request)
    rows = outcome_selectors.experiences_to_review(scope=scope)
    return render(request, "web/outcomes/inbox.html", {"page": paginate(rows, page=page_number(request)),
                                                       "page_query": ""})
