"""One activity's pages: what it was, who attended (batch sign-in), and the files kept with it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from xuexi.accounts.audit import audit_record
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind
from xuexi.exchange.files import write_xlsx
from xuexi.learning import attachments
from xuexi.learning import selectors as learning_selectors
from xuexi.learning import services as learning_services
from xuexi.learning.access import access_activity
from xuexi.learning.models import Activity, AttachmentKind, AttendanceStatus
from xuexi.outcomes.selectors import outcomes_citing
from xuexi.pagination import page_number, paginate
from xuexi.web.editing import form_page
from xuexi.web.learning import XLSX_CONTENT_TYPE, ActivityForm
from xuexi.web.uploads import keep_upload, read_upload, stored_file_response

SIGN_IN_PAGE_SIZE = 100


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _detail(number: str) -> str:
    return reverse("web:activity_detail", args=[number])


def _attendance_xlsx(request: HttpRequest, activity: Activity) -> HttpResponse:
    rows = [[activity.number, r.person.number, r.person.name, r.person.org.name, r.status,
             "" if r.hours is None else r.hours, "" if r.days is None else r.days]
            for r in learning_selectors.activity_attendance(activity=activity)]
    data = write_xlsx(["活动编号", "人员编号", "姓名", "所属组织", "出勤", "学时", "天数"], rows, sheet_title="参加")
    audit_record(action="export", actor=request.user, object_type="activity",  # type: ignore[arg-type]
                 object_id=activity.number, detail={"rows": len(rows), "table": "attendance"})
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="attendance-{activity.pk}.xlsx"'
    return response


@login_required
def activity_detail(request: HttpRequest, number: str) -> HttpResponse:
    """An activity: its fields, the attendance by status, its attachments."""
    scope = _scope(request)
    activity = access_activity(scope=scope, number=number)
    if request.GET.get("format") == "xlsx":
        return _attendance_xlsx(request, activity)
    status = request.GET.get("status", "")
    if status not in AttendanceStatus.values:
        status = ""
    attendance = learning_selectors.activity_attendance(activity=activity, status=status)
    return render(request, "web/learning/activity_detail.html", {
        "activity": activity,
        "areas": [row.area for row in activity.area_rows.all()],
        "counts": learning_selectors.attendance_counts(activity=activity),
        "status": status,
        "page": paginate(attendance, page=page_number(request)),
        "attachments": learning_selectors.activity_attachments(activity=activity),
        "attachment_kinds": AttachmentKind.values,
        "max_attachment_mb": attachments.max_bytes() // attachments.MIB,
        "can_write": scope.covers_path(activity.host.path, write=True),
        "outcomes": outcomes_citing(scope=scope, activity=activity),
    })


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, number: str) -> HttpResponse:
    """Change an activity's fields; its number stays."""
    scope = _scope(request)
    activity = access_activity(scope=scope, number=number, write=True)
    initial = {
        "number": activity.number, "kind": activity.kind, "topic": activity.topic,
        "start_date": activity.start_date, "end_date": activity.end_date, "hours": activity.hours,
        "content_areas": [row.area for row in activity.area_rows.all()], "training_type": activity.training_type,
        "off_job": activity.off_job, "speaker": activity.speaker,
        "speaker_number": activity.speaker_person.number if activity.speaker_person else "", "venue": activity.venue,
    }
    form = ActivityForm(request.POST or None, initial=initial)
    form.fields["number"].disabled = True

    def save(data: dict[str, Any]) -> tuple[str, str]:
        learning_services.activity_save(
            actor=request.user, scope=scope,  # type: ignore[arg-type]
            data=learning_services.ActivityInput(
                number=activity.number, kind=data["kind"], host_code=activity.host.code,
                start_date=data["start_date"], end_date=data["end_date"], hours=data["hours"],
                topic=data["topic"], content_areas=data["content_areas"], training_type=data["training_type"],
                off_job=data["off_job"], speaker=data["speaker"], speaker_number=data["speaker_number"],
                venue=data["venue"],
            ),
        )
        return "已保存。", _detail(activity.number)

    return form_page(request, form, title=f"修改活动：{activity.topic}", back_url=_detail(activity.number), save=save)


def _decimal(request: HttpRequest, name: str, person: str, label: str) -> Decimal | None:
    text = request.POST.get(f"{name}-{person}", "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DomainError("attendance_invalid", f"人员 {person} 的{label}“{text}”不是数字", field=name) from None
    if not value.is_finite() or value < 0 or value > 10000:
        raise DomainError("attendance_invalid", f"人员 {person} 的{label}“{text}”应为 0 到 10000 之间的数",
                          field=name)
    return value


def _sign_in_entries(request: HttpRequest) -> list[learning_services.AttendanceInput]:
    """The rows of the sign-in form that say something; '未登记的记为出席' fills the blank ones."""
    fill = request.POST.get("fill", "")
    entries = []
    for person in dict.fromkeys(request.POST.getlist("person")):
        status = request.POST.get(f"status-{person}", "") or fill
        if not status:
            continue
        if status not in AttendanceStatus.values:
            raise DomainError("attendance_invalid", f"人员 {person} 的出勤“{status}”无效，应为出席、缺席或请假",
                              field="status")
        entries.append(learning_services.AttendanceInput(
            person_number=person, status=status, hours=_decimal(request, "hours", person, "学时"),
            days=_decimal(request, "days", person, "天数"),
        ))
    return entries


@login_required
@require_http_methods(["GET", "POST"])
def activity_sign_in(request: HttpRequest, number: str) -> HttpResponse:
    """批量签到: mark who came, from the host's members, its central group, or anyone found in the scope.

    A branch secretary records here for members who have no phone to sign in themselves.
    """
    scope = _scope(request)
    activity = access_activity(scope=scope, number=number, write=True)
    params = request.POST if request.method == "POST" else request.GET
    source = params.get("source", "")
    if source not in learning_selectors.SignInSource.values:
        source = learning_selectors.SignInSource.MEMBERS
    search = params.get("q", "").strip()[:50]
    query = urlencode({"source": source, "q": search})
    here = f"{reverse('web:activity_sign_in', args=[number])}?{query}&page={page_number(request)}"
    if request.method == "POST":
        try:
            entries = _sign_in_entries(request)
            if not entries:
                raise DomainError("attendance_invalid", "没有选择任何人员的出勤情况", field="status")
            count = learning_services.attendance_record(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                                        activity_number=number, entries=entries)
        except DomainError as exc:
            if exc.kind != ErrorKind.INVALID:
                raise
            messages.error(request, exc.detail)
        else:
            messages.success(request, f"已登记 {count} 人的出勤。")
        return redirect(here)
    candidates = learning_selectors.sign_in_candidates(scope=scope, activity=activity, source=source, search=search)
    page = paginate(candidates, page=page_number(request), page_size=SIGN_IN_PAGE_SIZE)
    recorded = learning_selectors.attendance_by_person(activity=activity, person_ids=[p.pk for p in page.items])
    return render(request, "web/learning/sign_in.html", {
        "activity": activity, "source": source, "sources": learning_selectors.SignInSource.choices,
        "search": search, "page": page, "page_query": query, "statuses": AttendanceStatus.values,
        "rows": [(person, recorded.get(person.pk)) for person in page.items],
        "counts": learning_selectors.attendance_counts(activity=activity),
    })


@login_required
@require_POST
def attendance_remove(request: HttpRequest, number: str) -> HttpResponse:
    """Take a wrongly signed-in person off the activity."""
    scope = _scope(request)
    person = request.POST.get("person", "")
    try:
        learning_services.attendance_remove(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                            activity_number=number, person_number=person)
    except DomainError as exc:
        if exc.kind != ErrorKind.INVALID:
            raise
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"已移除人员 {person} 的参加记录。")
    return redirect(_detail(number))


class AttachmentForm(forms.Form):
    file = forms.FileField(label="文件", allow_empty_file=True)
    kind = forms.ChoiceField(label="类别", choices=AttachmentKind.choices, initial=AttachmentKind.MINUTES)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, number: str) -> HttpResponse:
    """Keep a file with the activity; the size is checked before the content is read."""
    scope = _scope(request)
    access_activity(scope=scope, number=number, write=True)
    form = AttachmentForm(request.POST, request.FILES)

    def keep(upload: UploadedFile) -> str:
        return learning_services.attachment_add(
            actor=request.user, scope=scope, activity_number=number,  # type: ignore[arg-type]
            name=upload.name or "", data=read_upload(upload), kind=form.cleaned_data["kind"]).name

    return keep_upload(request, form, keep, back=_detail(number), missing="请选择要上传的文件和类别。")


@login_required
def attachment_download(request: HttpRequest, number: str, attachment_id: int) -> FileResponse:
    """A file of an activity in scope, always as a download, never rendered by the browser."""
    scope = _scope(request)
    attachment = learning_selectors.attachment_for_download(scope=scope, activity_number=number,
                                                            attachment_id=attachment_id)
    audit_record(action="attachment_download", actor=request.user, object_type="activity",  # type: ignore[arg-type]
                 object_id=number, object_repr=attachment.name, detail={"attachment": attachment.pk})
    return stored_file_response(sha256=attachment.sha256, name=attachment.name, content_type=attachment.content_type)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, number: str, attachment_id: int) -> HttpResponse:
    removed = learning_services.attachment_remove(actor=request.user, scope=_scope(request),  # type: ignore[arg-type]
                                                  activity_number=number, attachment_id=attachment_id)
    messages.success(request, f"已移除附件“{removed.name}”（原件留存备查）。")
    return redirect(_detail(number))

