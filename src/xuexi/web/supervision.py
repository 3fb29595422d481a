"""督学检查 pages: plan an inspection, its checklist with the inspected organizations' data, findings,
rectification items answered with evidence and verified, each organization's inspections and the items it owes."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
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

from xuexi.accounts.audit import audit_record
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind
from xuexi.learning import attachments
from xuexi.orgs.access import access_org
from xuexi.pagination import page_number, paginate
from xuexi.supervision import selectors, services
from xuexi.supervision.access import access_inspection, access_rectification, inspects, may_answer
from xuexi.supervision.models import InspectionStatus, RectificationStatus
from xuexi.web.editing import form_page
from xuexi.web.norms import _ExplainedForm
from xuexi.web.uploads import read_upload, stored_file_response

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_CODES = re.compile(r"[\s、，,；;]+")
_DATE = "日期，如 2026-06-30"
_DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _detail(number: str) -> str:
    return reverse("web:inspection_detail", args=[number])


def _item_page(number: str, seq: int) -> str:
    return reverse("web:rectification_detail", args=[number, seq])


def _codes(text: str) -> list[str]:
    return [code for code in _CODES.split(text) if code]


def _team(text: str) -> list[services.InspectorInput]:
    return [services.InspectorInput(*line.split()[:2]) for line in text.splitlines() if line.strip()]


def _team_text(view: selectors.InspectionView) -> str:
    return "\n".join(f"{i.name} {i.user.username}" if i.user else i.name for i in view.inspectors)


class _Form(_ExplainedForm):
    """Field errors say the value given and what is expected, in Chinese."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if not valid:
            self.explain()
        return valid


class _TeamField(forms.CharField):
    def validate(self, value: Any) -> None:
        super().validate(value)
        if any(len(line.split()) > 2 for line in str(value).splitlines()):
            raise forms.ValidationError("每行一人")


class InspectionForm(_Form):
    number = forms.CharField(label="检查编号", max_length=64, required=False,
                             help_text="英文字母、数字和连字符；不填则自动编号，如 DX-220100-2026-01")
    title = forms.CharField(label="检查标题", max_length=200, help_text="如：2026 年度学习型党组织建设督学检查")
    year = forms.IntegerField(label="检查年度", min_value=2000, max_value=2100, help_text="检查哪一年的学习情况")
    start_date = forms.DateField(label="开始日期", widget=_DAY)
    end_date = forms.DateField(label="结束日期", widget=_DAY)
    inspected_codes = forms.CharField(label="被检查组织（组织编码）", widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text="本组织的下级组织，可填多个，用空格、逗号或换行分隔")
    inspectors = _TeamField(label="检查组成员", widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="每行一人：姓名，有平台账户的在姓名后空一格写用户名（整改情况报送后通知其账户）")
    description = forms.CharField(label="检查说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    EXPECTED = {
        "number": "不超过 64 个字符的英文字母、数字、连字符或下划线", "title": "不超过 200 个字的标题",
        "year": "2000 到 2100 之间的年份", "start_date": _DATE, "end_date": _DATE,
        "inspected_codes": "下级组织的组织编码，用空格、逗号或换行分隔",
        "inspectors": "每行一人：姓名，后可空一格跟账户用户名",
    }


class InspectionEditForm(InspectionForm):
    status = forms.ChoiceField(label="状态", choices=InspectionStatus.choices)
    field_order = ["title", "status", "start_date", "end_date", "inspected_codes", "inspectors", "description"]

    EXPECTED = {**InspectionForm.EXPECTED, "status": "计划中、进行中或已结束"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["number"]  # an inspection keeps its number: its items are addressed by it
        del self.fields["year"]  # its checklist is drawn for the year
        self.fields["inspected_codes"].help_text = "可增加下级组织；已列入检查的组织不能移除"


# -- lists ---------------------------------------------------------------------------------------------
@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    """督学检查: the inspections the viewer sees, and the open rectification items on both sides."""
    scope = _scope(request)
    today = timezone.localdate()
    page = paginate(selectors.inspection_list(scope=scope, status=request.GET.get("status", "")),
                    page=page_number(request))
    return render(request, "web/supervision/list.html", {
        "page": page, "today": today, "summary": selectors.rectification_summary(scope=scope, today=today),
        "statuses": InspectionStatus.choices, "status": request.GET.get("status", ""),
    })


@login_required
def org_inspections(request: HttpRequest, code: str) -> HttpResponse:
    """An organization's 督学检查: those it runs, those it undergoes, and the items it owes (overdue first)."""
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    today = timezone.localdate()
    return render(request, "web/supervision/org.html", {
        "org": org, "data": selectors.org_supervision(scope=scope, org=org, today=today), "today": today,
        "can_plan": scope.covers_path(org.path, write=True),
    })


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request: HttpRequest, code: str) -> HttpResponse:
    """Plan an inspection by this organization of organizations below it."""
    scope = _scope(request)
    org = access_org(scope=scope, code=code, write=True)
    today = timezone.localdate()

    def save(data: dict[str, Any]) -> tuple[str, str]:
        inspection = services.inspection_plan(
            actor=request.user, scope=scope, inspector_code=org.code,  # type: ignore[arg-type]
            data=services.InspectionInput(
                number=data["number"], title=data["title"], year=data["year"], start_date=data["start_date"],
                end_date=data["end_date"], inspected_codes=_codes(data["inspected_codes"]),
                inspectors=_team(data["inspectors"]), description=data["description"]))
        return f"已新建督学检查“{inspection.title}”（{inspection.number}）。", _detail(inspection.number)

    form = InspectionForm(request.POST or None, initial={"year": today.year, "start_date": today,
                                                        "end_date": today, "title": f"{today.year} 年度督学检查"})
    return form_page(request, form, title=f"{org.name}：新建督学检查",
                     back_url=reverse("web:org_inspections", args=[org.code]), save=save)


# -- one inspection ------------------------------------------------------------------------------------
@login_required
def inspection_detail(request: HttpRequest, number: str) -> HttpResponse:
    """An inspection: its team, each inspected organization's checklist with its own data and the findings,
    and the rectification items; the inspecting side records findings and issues items here."""
    scope = _scope(request)
    inspection = access_inspection(scope=scope, number=number)
    today = timezone.localdate()
    view = selectors.inspection_detail(scope=scope, inspection=inspection, today=today)
    may_inspect = inspects(scope, inspection)
    return render(request, "web/supervision/detail.html", {
        "view": view, "inspection": inspection, "today": today, "may_inspect": may_inspect,
        "may_record": may_inspect and inspection.status != InspectionStatus.ENDED,
        "findings": view.findings, "inspected_codes": [t.target.org.code for t in view.targets],
        "default_due": default_due(today),
    })


@login_required
@require_http_methods(["GET", "POST"])
def inspection_edit(request: HttpRequest, number: str) -> HttpResponse:
    """Change the plan or the status of an inspection (the inspecting side)."""
    scope = _scope(request)
    inspection = access_inspection(scope=scope, number=number, write=True)
    view = selectors.inspection_detail(scope=scope, inspection=inspection, today=timezone.localdate())
    initial = {"title": inspection.title, "status": inspection.status, "start_date": inspection.start_date,
               "end_date": inspection.end_date, "description": inspection.description,
               "inspected_codes": " ".join(t.target.org.code for t in view.targets),
               "inspectors": _team_text(view)}

    def save(data: dict[str, Any]) -> tuple[str, str]:
        services.inspection_update(
            actor=request.user, scope=scope, number=number,  # type: ignore[arg-type]
            changes={"title": data["title"], "status": data["status"], "start_date": data["start_date"],
                     "end_date": data["end_date"], "description": data["description"],
                     "inspected_codes": _codes(data["inspected_codes"]), "inspectors": _team(data["inspectors"])})
        return "已保存。", _detail(number)

    return form_page(request, InspectionEditForm(request.POST or None, initial=initial),
                     title=f"修改督学检查：{inspection.title}", back_url=_detail(number), save=save)


def _refused(request: HttpRequest, form: forms.Form) -> None:
    """A form of the detail pages that did not validate: each field's reason as a message."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


def _invalid_only(request: HttpRequest, exc: DomainError) -> None:
    if exc.kind not in (ErrorKind.INVALID, ErrorKind.CONFLICT):
        raise exc
    messages.error(request, exc.detail)


def _post(request: HttpRequest, form: forms.Form, *, back: str, act: Callable[[dict[str, Any]], str]) -> HttpResponse:
    """A form of the detail pages: `act` takes its data and says what it did; any refusal comes back as a message."""
    if not form.is_valid():
        _refused(request, form)
        return redirect(back)
    try:
        done = act(form.cleaned_data)
    except DomainError as exc:
        _invalid_only(request, exc)
    else:
        messages.success(request, done)
    return redirect(back)


class FindingForm(_Form):
    item = forms.IntegerField(label="检查清单条目", min_value=1)
    text = forms.CharField(label="发现的问题", max_length=services.TEXT_LIMIT)
    rule_code = forms.CharField(label="涉及的制度要求（规则编码）", max_length=64, required=False)
    activity_number = forms.CharField(label="涉及的学习活动（活动编号）", max_length=64, required=False)

    EXPECTED = {"item": "本次检查清单中的一项", "text": f"不超过 {services.TEXT_LIMIT} 个字的问题描述",
                "rule_code": "规则编码", "activity_number": "活动编号"}


@login_required
@require_POST
def finding_add(request: HttpRequest, number: str) -> HttpResponse:
    """Record a problem found on a checklist item."""
    scope = _scope(request)
    access_inspection(scope=scope, number=number, write=True)

    def act(data: dict[str, Any]) -> str:
        finding = services.finding_record(actor=request.user, scope=scope, number=number,  # type: ignore[arg-type]
                                          item_id=data["item"], text=data["text"], rule_code=data["rule_code"],
                                          activity_number=data["activity_number"])
        return f"已记录问题：{finding.item.target.org.name} · {finding.item.label}。"

    return _post(request, FindingForm(request.POST), back=_detail(number), act=act)


class RectificationForm(_Form):
    finding = forms.IntegerField(label="问题", min_value=1)
    requirement = forms.CharField(label="整改要求", max_length=services.TEXT_LIMIT)
    responsible_code = forms.CharField(label="责任单位（组织编码）", max_length=64)
    due_date = forms.DateField(label="整改期限")

    EXPECTED = {"finding": "本次检查记录的一个问题", "requirement": f"不超过 {services.TEXT_LIMIT} 个字的整改要求",
                "responsible_code": "被检查组织或其下级组织的组织编码", "due_date": _DATE}


@login_required
@require_POST
def rectification_add(request: HttpRequest, number: str) -> HttpResponse:
    """Issue a rectification item on a finding."""
    scope = _scope(request)
    access_inspection(scope=scope, number=number, write=True)

    def act(data: dict[str, Any]) -> str:
        item = services.rectification_issue(
            actor=request.user, scope=scope, number=number, finding_id=data["finding"],  # type: ignore[arg-type]
            requirement=data["requirement"], responsible_code=data["responsible_code"], due_date=data["due_date"])
        return (f"已下达第 {item.seq} 项整改要求，责任单位{item.responsible_org.name}，"
                f"期限 {item.due_date.isoformat()}。")

    return _post(request, RectificationForm(request.POST), back=_detail(number), act=act)


@login_required
def inspection_export(request: HttpRequest, number: str) -> HttpResponse:
    """The inspection report as a Word document (GB/T 9704)."""
    filename, data = services.inspection_report_export(actor=request.user, scope=_scope(request),  # type: ignore[arg-type]
                                                       number=number)
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


# -- one rectification item ----------------------------------------------------------------------------
@login_required
def rectification_detail(request: HttpRequest, number: str, seq: int) -> HttpResponse:
    """A rectification item: the finding behind it, its history with the evidence, and the next step's form."""
    scope = _scope(request)
    item = access_rectification(scope=scope, number=number, seq=seq)
    today = timezone.localdate()
    answering = may_answer(scope, item) and item.status in (RectificationStatus.OPEN, RectificationStatus.RETURNED)
    return render(request, "web/supervision/item.html", {
        "inspection": item.inspection, "item": item, "row": selectors.rectification_row(item, today),
        "history": selectors.rectification_history(item=item), "today": today, "may_answer": answering,
        "may_verify": inspects(scope, item.inspection) and item.status == RectificationStatus.ANSWERED,
        "max_attachment_mb": attachments.max_bytes() // attachments.MIB,
    })


@login_required
@require_POST
def rectification_answer(request: HttpRequest, number: str, seq: int) -> HttpResponse:
    """The owing organization reports its measures, with evidence files."""
    scope = _scope(request)
    access_rectification(scope=scope, number=number, seq=seq)
    try:
        files = [services.EvidenceFile(upload.name or "", read_upload(upload))
                 for upload in request.FILES.getlist("files")]
        services.rectification_answer(actor=request.user, scope=scope, number=number,  # type: ignore[arg-type]
                                      seq=seq, measures=request.POST.get("measures", ""), files=files)
    except DomainError as exc:
        _invalid_only(request, exc)
    else:
        messages.success(request, f"已报送第 {seq} 项的整改情况，待检查组核验。")
    return redirect(_item_page(number, seq))


class VerifyForm(_Form):
    decision = forms.ChoiceField(label="核验结论", choices=[("close", "销号"), ("return", "退回重改")])
    comment = forms.CharField(label="核验意见", max_length=services.TEXT_LIMIT, required=False)
    due_date = forms.DateField(label="新的整改期限", required=False)

    EXPECTED = {"decision": "销号或退回重改", "comment": f"不超过 {services.TEXT_LIMIT} 个字的意见",
                "due_date": _DATE}


@login_required
@require_POST
def rectification_verify(request: HttpRequest, number: str, seq: int) -> HttpResponse:
    """The inspecting side closes an answered item, or sends it back with a comment."""
    scope = _scope(request)
    access_rectification(scope=scope, number=number, seq=seq)

    def act(data: dict[str, Any]) -> str:
        close = data["decision"] == "close"
        services.rectification_verify(actor=request.user, scope=scope, number=number, seq=seq,  # type: ignore[arg-type]
                                      close=close, comment=data["comment"], due_date=data["due_date"])
        return f"第 {seq} 项整改事项已销号。" if close else f"已退回第 {seq} 项整改事项。"

    return _post(request, VerifyForm(request.POST), back=_item_page(number, seq), act=act)


@login_required
def evidence_download(request: HttpRequest, number: str, seq: int, evidence_id: int) -> FileResponse:
    """A file sent with an answer, for those who see the item; always a download."""
    item = access_rectification(scope=_scope(request), number=number, seq=seq)
    evidence = selectors.evidence_for_download(item=item, evidence_id=evidence_id)
    audit_record(action="evidence_download", actor=request.user, object_type="inspection",  # type: ignore[arg-type]
                 object_id=number, object_repr=evidence.name, detail={"seq": seq, "evidence": evidence.pk})
    return stored_file_response(sha256=evidence.sha256, name=evidence.name, content_type=evidence.content_type)


def default_due(today: date) -> date:
    """A month from today: the date the issue form offers."""
    return date.fromordinal(today.toordinal() + 30)
