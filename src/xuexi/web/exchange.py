"""交换文件 pages: templates, exports, and imports as upload → preview of every error → confirm."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from xuexi.accounts.scope import Scope
from xuexi.errors import Forbidden, NotFound
from xuexi.exchange.exporting import export, template
from xuexi.exchange.importing import import_file
from xuexi.exchange.tables import TABLES

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


class UploadForm(forms.Form):
    table = forms.ChoiceField(label="数据表", choices=[(name, t.title) for name, t in TABLES.items()])
    file = forms.FileField(label="文件（.xlsx、.xls 或 .csv）")


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _require_reader(scope: Scope) -> None:
    if not scope.sees_organizations:
        raise NotFound("page_not_found", "页面不存在")


def _require_importer(scope: Scope) -> None:
    _require_reader(scope)
    if not scope.is_org_admin:
        raise Forbidden("import_forbidden", "只有组织管理员可以导入数据")


def _table(name: str) -> str:
    if name not in TABLES:
        raise NotFound("page_not_found", "页面不存在")
    return name


def _pending_path(user_id: int, digest: str) -> Path:
    # The uploader's own folder, named by the content's hash: user file names never become paths.
    return Path(settings.DATA_DIR) / "uploads" / str(user_id) / digest


def _attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def exchange_home(request: HttpRequest) -> HttpResponse:
    _require_reader(_scope(request))
    return render(request, "web/exchange/home.html", {"form": UploadForm(), "tables": TABLES})


@login_required
def exchange_template(request: HttpRequest, table: str) -> HttpResponse:
    _require_reader(_scope(request))
    return _attachment(template(_table(table)), f"{table}-template.xlsx", _XLSX)


@login_required
def exchange_export(request: HttpRequest, table: str) -> HttpResponse:
    scope = _scope(request)
    _require_reader(scope)
    file_format = "csv" if request.GET.get("format") == "csv" else "xlsx"
    data = export(actor=request.user, scope=scope, table=_table(table), file_format=file_format)  # type: ignore[arg-type]
    content_type = "text/csv; charset=utf-8" if file_format == "csv" else _XLSX
    return _attachment(data, f"{table}.{file_format}", content_type)


@login_required
@require_POST
def exchange_preview(request: HttpRequest) -> HttpResponse:
    """Check an uploaded file without storing anything; keep it for the confirmation only when it is clean."""
    scope = _scope(request)
    _require_importer(scope)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "web/exchange/home.html", {"form": form, "tables": TABLES}, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > settings.XUEXI_IMPORT_MAX_BYTES:
        form.add_error("file", f"文件超过 {settings.XUEXI_IMPORT_MAX_BYTES // (1024 * 1024)} MB 上限：请拆分后分批上传")
        return render(request, "web/exchange/home.html", {"form": form, "tables": TABLES}, status=400)
    data = upload.read()
    table = form.cleaned_data["table"]
    result = import_file(actor=request.user, scope=scope, table=table, data=data,  # type: ignore[arg-type]
                         filename=upload.name, commit=False)
    digest = hashlib.sha256(data).hexdigest()
    if result.ok:
        path = _pending_path(request.user.pk, digest)  # type: ignore[arg-type]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return render(request, "web/exchange/preview.html", {
        "result": result, "table": table, "title": TABLES[table].title, "digest": digest, "filename": upload.name,
    })


@login_required
@require_POST
def exchange_confirm(request: HttpRequest) -> HttpResponse:
    """Store a previewed file, all of it; the same checks run again inside the transaction."""
    scope = _scope(request)
    _require_importer(scope)
    table = _table(request.POST.get("table", ""))
    digest = request.POST.get("digest", "")
    path = _pending_path(request.user.pk, digest) if _DIGEST.match(digest) else None  # type: ignore[arg-type]
    if path is None or not path.is_file():
        raise NotFound("upload_not_found", "待导入的文件不存在或已导入，请重新上传")
    result = import_file(actor=request.user, scope=scope, table=table, data=path.read_bytes(),  # type: ignore[arg-type]
                         filename=request.POST.get("filename", "")[:255])
    path.unlink(missing_ok=True)
    return render(request, "web/exchange/preview.html", {
        "result": result, "table": table, "title": TABLES[table].title, "confirmed": True,
    })
