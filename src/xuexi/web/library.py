"""学习资料库 and 理论学习天天向上 pages: the library, an item and its files, today's push, the editor's push."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST

from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, Forbidden, NotFound
from xuexi.learning import attachments
from xuexi.learning.models import ContentArea
from xuexi.library import selectors as library_selectors
from xuexi.library import services as library_services
from xuexi.library.access import access_item
from xuexi.library.models import ItemFile, ItemKind
from xuexi.orgs.access import access_org
from xuexi.pagination import page_number, paginate
from xuexi.web import online as online_pages
from xuexi.web.editing import form_page
from xuexi.web.norms import _ExplainedForm
from xuexi.web.uploads import keep_upload, read_upload

REACH_DAYS = 14
CHUNK = 256 * 1024
SEPARATORS = re.compile(r"[\s,，、;；]+")
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# An item's PDF is shown by the browser's own viewer inside the item's page; nothing else may load with it.
PDF_POLICY = "default-src 'none'; object-src 'self'; frame-ancestors 'self'"
MEDIA_POLICY = "default-src 'none'; sandbox"


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _detail(item_id: int) -> str:
    return reverse("web:library_item", args=[item_id])


@login_required
def library_list(request: HttpRequest) -> HttpResponse:
    """学习资料库: what reaches the viewer, searched by relevance and filtered by area, campaign, publisher, date."""
    scope = _scope(request)
    get = request.GET
    filters = library_selectors.ItemFilters(
        search=get.get("q", "").strip()[:100],
        kind=get.get("kind", "") if get.get("kind", "") in ItemKind.values else "",
        area=get.get("area", "") if get.get("area", "") in ContentArea.values else "",
        campaign=get.get("campaign", "").strip()[:64], publisher=get.get("publisher", "").strip()[:64],
        date_from=_date(get.get("from", "")), date_to=_date(get.get("to", "")),
        removed=get.get("removed") == "1" and scope.sees_organizations,
    )
    rows = library_selectors.item_list(scope=scope, filters=filters)
    query = urlencode({"q": filters.search, "kind": filters.kind, "area": filters.area, "campaign": filters.campaign,
                       "publisher": filters.publisher, "from": get.get("from", ""), "to": get.get("to", ""),
                       "removed": "1" if filters.removed else ""})
    return render(request, "web/library/list.html", {
        "filters": filters, "kinds": ItemKind.values, "areas": ContentArea.values,
        "date_from": filters.date_from.isoformat() if filters.date_from else "",
        "date_to": filters.date_to.isoformat() if filters.date_to else "",
        "page": paginate(rows, page=page_number(request)), "page_query": query, "can_publish": scope.is_org_admin,
        "sees_removed": scope.sees_organizations,
    })


_DATE = "日期，如 2026-01-01"


class ItemForm(_ExplainedForm):
    kind = forms.ChoiceField(label="类别", choices=ItemKind.choices)
    title = forms.CharField(label="标题", max_length=300)
    source = forms.CharField(label="来源", max_length=200, required=False, help_text="如 人民日报、省委宣传部")
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    areas = forms.MultipleChoiceField(label="学习内容", choices=ContentArea.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    campaign_codes = forms.CharField(label="主题教育编号", max_length=500, required=False,
                                     help_text="多个以逗号、顿号或空格分隔；可不填")
    body = forms.CharField(label="正文", required=False, max_length=100_000, widget=forms.Textarea(attrs={"rows": 12}))

    EXPECTED = {
        "kind": "、".join(ItemKind.values) + "之一", "title": "不超过 300 个字符的标题",
        "source": "不超过 200 个字符", "date": _DATE, "areas": "、".join(ContentArea.values) + "中的若干项",
        "campaign_codes": "以逗号分隔的主题教育编号", "body": "不超过 100000 个字符的正文",
    }


class PublishForm(ItemForm):
    org_code = forms.CharField(label="发布组织编码", max_length=64,
                               help_text="资料发布到该组织及其全部下级组织；须在您的管理范围内")
    field_order = ["org_code"]
    EXPECTED = {**ItemForm.EXPECTED, "org_code": "您管理范围内的组织编码"}


def _fields(data: dict[str, Any]) -> library_services.ItemFields:
    return library_services.ItemFields(
        kind=data["kind"], title=data["title"], source=data["source"], date=data["date"], body=data["body"],
        areas=list(data["areas"]), campaign_codes=[c for c in SEPARATORS.split(data["campaign_codes"]) if c],
    )


def _item_form_page(request: HttpRequest, form: ItemForm, **page: Any) -> HttpResponse:
    if request.method == "POST" and not form.is_valid():
        form.explain()
    return form_page(request, form, **page)


@login_required
@require_http_methods(["GET", "POST"])
def library_item_create(request: HttpRequest) -> HttpResponse:
    """Publish an item to the subtree of an organization the viewer administers."""
    scope = _scope(request)
    scope.require_business_data()
    if not scope.is_org_admin:
        # As for the other "new" forms: a reviewer sees the tree and is refused; a member has no such page.
        if scope.is_reviewer:
            raise Forbidden("library_publish_forbidden", "只有组织管理员可以发布学习资料")
        raise NotFound("page_not_found", "页面不存在")
    initial = {"date": timezone.localdate(), "kind": ItemKind.ARTICLE}

    def save(data: dict[str, Any]) -> tuple[str, str]:
        try:
            item = library_services.item_publish(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                                 org_code=data["org_code"], fields=_fields(data))
        except DomainError as exc:
            # The organization's refusal (missing, outside, read-only) names no field: it is the org_code's.
            exc.field = exc.field or "org_code"
            raise
        return f"已发布“{item.title}”。", _detail(item.pk)

    return _item_form_page(request, PublishForm(request.POST or None, initial=initial), title="发布学习资料",
                           back_url=reverse("web:library_list"), save=save)


@login_required
@require_http_methods(["GET", "POST"])
def library_item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    scope = _scope(request)
    item = access_item(scope=scope, item_id=item_id, write=True)
    initial = {name: getattr(item, name) for name in ("kind", "title", "source", "date", "areas", "body")}
    initial["campaign_codes"] = "、".join(c.code for c in item.campaigns.all())

    def save(data: dict[str, Any]) -> tuple[str, str]:
        library_services.item_update(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                     item_id=item_id, fields=_fields(data))
        return "已保存。", _detail(item_id)

    return _item_form_page(request, ItemForm(request.POST or None, initial=initial), title=f"修改：{item.title}",
                           back_url=_detail(item_id), save=save)


@login_required
def library_item(request: HttpRequest, item_id: int) -> HttpResponse:
    """An item: its text, its PDF in the browser's viewer, its video; opening it is recorded for the reader."""
    scope = _scope(request)
    item = access_item(scope=scope, item_id=item_id)
    library_services.item_open(scope=scope, item=item)
    return render(request, "web/library/detail.html", {
        "item": item, "files": library_selectors.item_files(item=item), "campaigns": item.campaigns.all(),
        "can_write": scope.covers_path(item.publisher.path, write=True),
        "experience": item.experiences.select_related("org").first(),
        "max_file_mb": attachments.max_video_bytes() // attachments.MIB,
        "online": online_pages.item_context(scope, item.pk) if item.removed_at is None else {},
    })


class ItemFileForm(forms.Form):
    file = forms.FileField(label="文件", allow_empty_file=True)


@login_required
@require_POST
def library_file_upload(request: HttpRequest, item_id: int) -> HttpResponse:
    """Keep a PDF or an mp4 with the item; the size is checked before the content is read."""
    scope = _scope(request)
    access_item(scope=scope, item_id=item_id, write=True)
    form = ItemFileForm(request.POST, request.FILES)

    def keep(upload: UploadedFile) -> str:
        return library_services.item_file_add(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                              item_id=item_id, name=upload.name or "",
                                              data=read_upload(upload, attachments.max_video_bytes())).name

    return keep_upload(request, form, keep, back=_detail(item_id))


@login_required
@require_POST
def library_file_remove(request: HttpRequest, item_id: int, file_id: int) -> HttpResponse:
    """Take a file off the item (the stored file stays for the record)."""
    removed = library_services.item_file_remove(actor=request.user, scope=_scope(request),  # type: ignore[arg-type]
                                                item_id=item_id, file_id=file_id)
    messages.success(request, f"已移除文件“{removed.name}”（原件留存备查）。")
    return redirect(_detail(item_id))


@login_required
@require_POST
def library_item_withdraw(request: HttpRequest, item_id: int) -> HttpResponse:
    """撤回: the item leaves the members' library, search and pushes; its page keeps the reason for administrators."""
    try:
        library_services.item_withdraw(actor=request.user, scope=_scope(request),  # type: ignore[arg-type]
                                       item_id=item_id, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        if exc.kind in (ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND):
            raise
        messages.error(request, exc.detail)
    else:
        messages.success(request, "已撤回：成员不再看到这条资料，推送记录保留。")
    return redirect(_detail(item_id))


def _chunks(stored: ItemFile, start: int, length: int) -> Iterator[bytes]:
    with attachments.stored_path(stored.sha256).open("rb") as handle:
        handle.seek(start)
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                return
            length -= len(data)
            yield data


def _ranged(request: HttpRequest, stored: ItemFile) -> HttpResponseBase:
    """The file, or the one byte range asked for (a video seeks with these); anything else whole."""
    size = attachments.stored_path(stored.sha256).stat().st_size
    found = RANGE.match(request.headers.get("Range", "").strip())
    if found is None or found.groups() == ("", ""):
        response: HttpResponseBase = FileResponse(attachments.stored_path(stored.sha256).open("rb"),
                                              content_type=stored.content_type)
        response["Content-Length"] = str(size)
    else:
        first, last = found.groups()
        if first:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
        else:  # the last N bytes
            start, end = max(size - int(last), 0), size - 1
        if start >= size or start > end:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        response = StreamingHttpResponse(_chunks(stored, start, end - start + 1), status=206,
                                         content_type=stored.content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    return response


@login_required
@xframe_options_sameorigin
def library_file(request: HttpRequest, item_id: int, file_id: int) -> HttpResponseBase:
    """An item's file inline: a PDF for the browser's viewer (framed by the item's page only), a video by ranges.

    Not audited per request: published learning material, no personal data, and a video asks many ranges.
    """
    stored = library_selectors.file_for_viewing(scope=_scope(request), item_id=item_id, file_id=file_id)
    response = _ranged(request, stored)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(stored.name, safe='')}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PDF_POLICY if stored.content_type == "application/pdf" else MEDIA_POLICY
    response["Cache-Control"] = "private, no-store"
    return response


# -- 理论学习天天向上 ---------------------------------------------------------------------------------
@login_required
def today(request: HttpRequest) -> HttpResponse:
    """理论学习天天向上: the day's pushes that reach the viewer, the nearest organization's first; past days."""
    scope = _scope(request)
    now = timezone.localdate()
    day = min(_date(request.GET.get("date", "")) or now, now)
    return render(request, "web/library/today.html", {
        "day": day, "is_today": day == now,
        "pushes": library_selectors.pushes_for(scope=scope, date=day),
        "archive": library_selectors.push_dates(scope=scope, before=now),
        "online_minutes": online_pages.today_minutes(scope),
    })


class PushForm(_ExplainedForm):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    items = forms.CharField(label="资料编号（按顺序）", max_length=200,
                            help_text="1 至 5 条，按推送顺序填写资料编号，以逗号、顿号或空格分隔")
    EXPECTED = {"date": _DATE, "items": "以逗号分隔的 1 至 5 个资料编号"}


def _item_ids(text: str) -> list[int] | None:
    parts = [p for p in SEPARATORS.split(text) if p]
    return [int(p) for p in parts] if all(p.isdigit() and len(p) < 12 for p in parts) else None


@login_required
@require_http_methods(["GET", "POST"])
def org_push(request: HttpRequest, code: str) -> HttpResponse:
    """The editor's page: a day's push for the organization's subtree, and who opened the recent ones."""
    scope = _scope(request)
    org = access_org(scope=scope, code=code, write=True)
    now = timezone.localdate()
    day = _date(request.POST.get("date", "") or request.GET.get("date", "")) or now
    current = library_selectors.push_of(org=org, date=day)
    initial = {"date": day, "items": "、".join(str(e.item_id) for e in current.entries.all()
                                           if e.item.removed_at is None) if current else ""}
    form = PushForm(request.POST or None, initial=initial)
    if request.method == "POST":
        ids = _item_ids(request.POST.get("items", ""))
        if not form.is_valid() or ids is None:
            form.is_valid()
            if ids is None:
                form.add_error("items", "")
            form.explain()
        else:
            try:
                library_services.push_set(actor=request.user, scope=scope,  # type: ignore[arg-type]
                                          org_code=org.code, date=form.cleaned_data["date"], item_ids=ids)
            except DomainError as exc:
                if exc.kind != ErrorKind.INVALID:
                    raise
                form.add_error("items", exc.detail)
            else:
                messages.success(request, f"已保存 {form.cleaned_data['date']} 的理论学习天天向上。")
                return redirect(f"{reverse('web:org_push', args=[org.code])}?date={form.cleaned_data['date']}")
    search = request.GET.get("q", "").strip()[:100]
    candidates = library_selectors.pushable_items(scope=scope, org=org, search=search)[:20]
    return render(request, "web/library/push.html", {
        "org": org, "day": day, "form": form, "current": current, "candidates": candidates, "search": search,
        "reach": library_selectors.push_reach(org=org, date_from=now - dt.timedelta(days=REACH_DAYS - 1), date_to=now),
    })

