"""Files kept with records (activity, outcome and library files): an upload's size first, a download's headers."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect

from xuexi.errors import DomainError, ErrorKind
from xuexi.learning import attachments


def read_upload(upload: UploadedFile, limit: int | None = None) -> bytes:
    """The uploaded bytes, refused by the upload's size before they are read."""
    limit = attachments.max_bytes() if limit is None else limit
    if upload.size is not None and upload.size > limit:
        raise DomainError(attachments.AttachmentRefusal.TOO_LARGE,
                          f"“{attachments.display_name(upload.name or '')}”超过附件上限 {limit // attachments.MIB} MB",
                          field="file")
    return upload.read()


def keep_upload(request: HttpRequest, form: forms.Form, keep: Callable[[UploadedFile], str], *, back: str,
                missing: str = "请选择要上传的文件。") -> HttpResponse:
    """An upload form's file handed to `keep` (which stores it and names it); a refusal of the file is shown
    on the page it came from, anything else (not found, forbidden) propagates."""
    if not form.is_valid():
        messages.error(request, missing)
        return redirect(back)
    try:
        name = keep(form.cleaned_data["file"])
    except DomainError as exc:
        if exc.kind != ErrorKind.INVALID:
            raise
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"已上传“{name}”。")
    return redirect(back)


def stored_file_response(*, sha256: str, name: str, content_type: str) -> FileResponse:
    """A stored file, always as a download: never rendered, sniffed or cached by the browser."""
    response = FileResponse(attachments.stored_path(sha256).open("rb"), as_attachment=True, filename=name,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
