"""Activity attachments: what a file is (by its bytes), whether it may be kept, and where it lives.

Minutes, sign-in sheets, photos and slides. A file's type is read from its first bytes and must
agree with its name's extension; the uploader's content type is ignored. Files are stored under
MEDIA_ROOT by the SHA-256 of their content, so a user's file name never becomes a path and the
same file uploaded twice is stored once.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings

from xuexi.errors import DomainError

MIB = 1024 * 1024
# Office documents are zip archives; they are never opened here, but a browser or an office
# suite that opens one later must not be handed a bomb.
MAX_UNCOMPRESSED_BYTES = 500 * MIB
MAX_COMPRESSION_RATIO = 100
COMPRESSION_RATIO_FLOOR_BYTES = 10 * MIB
MAX_ZIP_MEMBERS = 10_000


class AttachmentRefusal:
    TOO_LARGE = "attachment_too_large"
    EMPTY = "attachment_empty"
    UNKNOWN_TYPE = "attachment_unknown_type"
    MISMATCH = "attachment_type_mismatch"
    ZIP_BOMB = "attachment_zip_bomb"


@dataclass(frozen=True)
class FileType:
    label: str  # what the message calls it
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("PDF 文档", "application/pdf", (".pdf",))
JPEG = FileType("JPEG 图片", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("PNG 图片", "image/png", (".png",))
WEBP = FileType("WebP 图片", "image/webp", (".webp",))
DOCX = FileType("Word 文档", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = FileType("Excel 工作簿", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
PPTX = FileType("PowerPoint 演示文稿",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",))
# Excel 97–2003, Word 97–2003, PowerPoint 97–2003 and WPS files share one container format
# (OLE2); which of them it is comes from the extension, once the container is confirmed.
OLE2_TYPES = {
    ".doc": FileType("Word 97–2003 文档", "application/msword", (".doc",)),
    ".xls": FileType("Excel 97–2003 工作簿", "application/vnd.ms-excel", (".xls",)),
    ".ppt": FileType("PowerPoint 97–2003 演示文稿", "application/vnd.ms-powerpoint", (".ppt",)),
    ".wps": FileType("WPS 文字文档", "application/vnd.ms-works", (".wps",)),
}
# Library videos only (xuexi.library): activity and outcome attachments do not take video.
MP4 = FileType("MP4 视频", "video/mp4", (".mp4",))
ACCEPTED_HINT = "可上传 PDF、Word、Excel、PowerPoint、WPS 文档和 JPEG、PNG、WebP 图片"

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


def max_bytes() -> int:
    return int(getattr(settings, "XUEXI_ATTACHMENT_MAX_BYTES", 20 * MIB))


def max_video_bytes() -> int:
    return int(getattr(settings, "XUEXI_VIDEO_MAX_BYTES", 200 * MIB))


def display_name(name: str) -> str:
    """The name shown and offered on download: the last path part, without control characters."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    cleaned = cleaned.strip().strip(".") or "附件"
    if len(cleaned) > 200:
        stem, dot, extension = cleaned.rpartition(".")
        cleaned = (stem[: 190] + dot + extension[:9]) if dot else cleaned[:200]
    return cleaned


def _refuse(code: str, detail: str) -> DomainError:
    return DomainError(code, detail, field="file")


def _describe(size: int) -> str:
    return f"{size / MIB:.1f} MB" if size >= MIB else f"{size / 1024:.0f} KB"


def _zip_type(data: bytes, name: str) -> FileType:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise _refuse(AttachmentRefusal.UNKNOWN_TYPE,
                      f"“{name}”已损坏或不是完整的文档（{type(error).__name__}）") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise _refuse(AttachmentRefusal.ZIP_BOMB,
                      f"“{name}”内容异常（疑似压缩炸弹）：包含超过 {MAX_ZIP_MEMBERS:,} 个文件")
    total = 0
    for member in members:
        total += member.file_size
        ratio_bomb = (member.file_size > COMPRESSION_RATIO_FLOOR_BYTES
                      and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1))
        if total > MAX_UNCOMPRESSED_BYTES or ratio_bomb:
            raise _refuse(AttachmentRefusal.ZIP_BOMB, f"“{name}”内容异常（疑似压缩炸弹）：解压后过大或压缩比异常")
    names = {member.filename for member in members}
    if "[Content_Types].xml" in names:
        for prefix, file_type in (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)):
            if any(n.startswith(prefix) for n in names):
                return file_type
    raise _refuse(AttachmentRefusal.UNKNOWN_TYPE, f"“{name}”是压缩包，不是可接受的附件；{ACCEPTED_HINT}")


def detect(data: bytes, name: str, *, allow_video: bool = False) -> FileType:
    """The file's type from its bytes, checked against its extension; refused with a reason otherwise."""
    if not data:
        raise _refuse(AttachmentRefusal.EMPTY, f"“{name}”是空文件")
    limit = max_video_bytes() if allow_video else max_bytes()
    if len(data) > limit:
        raise _refuse(AttachmentRefusal.TOO_LARGE,
                      f"“{name}”大小为 {_describe(len(data))}，超过附件上限 {_describe(limit)}")
    extension = os.path.splitext(name)[1].lower()
    found: FileType | None
    if data.startswith(b"%PDF-"):
        found = PDF
    elif data.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        found = WEBP
    elif data.startswith(ZIP_MAGIC):
        found = _zip_type(data, name)
    elif allow_video and data[4:8] == b"ftyp":
        found = MP4
    elif data.startswith(OLE2_MAGIC):
        found = OLE2_TYPES.get(extension)
        if found is None:
            raise _refuse(AttachmentRefusal.MISMATCH,
                          f"“{name}”是 Office 97–2003 格式的文档，扩展名应为 .doc、.xls、.ppt 或 .wps")
    else:
        raise _refuse(AttachmentRefusal.UNKNOWN_TYPE, f"无法识别“{name}”的文件类型；{ACCEPTED_HINT}")
    if extension not in found.extensions:
        expected = "、".join(found.extensions)
        raise _refuse(AttachmentRefusal.MISMATCH,
                      f"“{name}”的内容是{found.label}，与扩展名“{extension or '（无）'}”不符，应为 {expected}")
    return found


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_path(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256 digest")
    return Path(settings.MEDIA_ROOT) / "attachments" / sha256[:2] / sha256


def store(data: bytes, sha256: str) -> Path:
    """Write the content once, atomically: a concurrent upload of the same file finds it complete."""
    path = stored_path(sha256)
    if path.exists() and path.stat().st_size == len(data):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, prefix=".upload-") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(handle.name, path)
    return path


@dataclass(frozen=True)
class EvidenceFile:
    """A file as uploaded: its name on the uploader's machine and its content."""

    name: str
    data: bytes


def store_all(files: Sequence[EvidenceFile]) -> list[tuple[str, str, int, str]]:
    """Each file checked by its content and stored by its hash: (name, content type, size, sha256)."""
    stored = []
    for file in files:
        shown = display_name(file.name)
        file_type = detect(file.data, shown)
        digest = sha256_of(file.data)
        store(file.data, digest)
        stored.append((shown, file_type.content_type, len(file.data), digest))
    return stored
