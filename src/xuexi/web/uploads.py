"""Files kept with records (activity and outcome attachments): an upload's size first, a download's headers."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse

from xuexi.errors import DomainError
from xuexi.learning import attachments


def read_upload(upload: UploadedFile) -> bytes:
    """The uploaded bytes, refused by the upload's size before they are read."""
    limit = attachments.max_bytes()
    if upload.size is not None and upload.size > limit:
        raise DomainError(attachments.AttachmentRefusal.TOO_LARGE,
                          f"“{attachments.display_name(upload.name or '')}”超过附件上限 {limit // attachments.MIB} MB",
                          field="file")
    return upload.read()


def stored_file_response(*, sha256: str, name: str, content_type: str) -> FileResponse:
    """A stored file, always as a download: never rendered, sniffed or cached by the browser."""
    response = FileResponse(attachments.stored_path(sha256).open("rb"), as_attachment=True, filename=name,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
