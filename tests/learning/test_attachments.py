"""What an attachment is, judged by its bytes: random and malformed files get a reason, never a crash."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xuexi.errors import DomainError
from xuexi.learning import attachments

MAGICS = [b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b""]
NAMES = ["a.pdf", "a.jpg", "a.png", "a.docx", "a.xlsx", "a.pptx", "a.doc", "a.xls", "a", "a.exe", "../../etc/passwd"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(MAGICS), st.binary(max_size=512), st.sampled_from(NAMES))
def test_any_bytes_are_a_known_type_or_refused_with_a_reason(magic: bytes, rest: bytes, name: str) -> None:
    try:
        found = attachments.detect(magic + rest, name)
    except DomainError as refusal:
        assert refusal.field == "file" and name in refusal.detail
    else:
        assert name.lower().endswith(found.extensions)


@given(st.text(max_size=300))
def test_a_display_name_is_never_a_path(name: str) -> None:
    shown = attachments.display_name(name)
    assert shown and "/" not in shown and "\\" not in shown and len(shown) <= 200
    assert shown not in {".", ".."}
    assert all(ord(ch) >= 32 for ch in shown)


def test_a_workbook_is_told_from_a_document_by_its_contents() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert attachments.detect(buffer.getvalue(), "名单.xlsx") is attachments.XLSX
    with pytest.raises(DomainError, match=r"内容是Excel 工作簿，与扩展名“\.docx”不符"):
        attachments.detect(buffer.getvalue(), "名单.docx")


def test_a_stored_path_accepts_only_a_digest() -> None:
    with pytest.raises(ValueError):
        attachments.stored_path("../../etc/passwd")
