"""An activity's page, batch sign-in, and attachments (checked by content, scoped, kept as evidence)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client

from tests import factories
from tests.conftest import Tree, signed_in_client
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import whole_tree_scope
from xuexi.learning import services
from xuexi.learning.models import Attachment, Attendance
from xuexi.learning.services import ActivityInput, AttendanceInput

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _activity(number: str = "A1", host: str = "K1") -> None:
    services.activity_save(actor=None, scope=whole_tree_scope(), data=ActivityInput(
        number=number, kind="中心组集体学习", host_code=host, start_date=date(2026, 3, 5), topic=f"学习{number}",
        hours=Decimal(3), content_areas=["科学发展观"]))


def _audited(action: str, **detail: object) -> bool:
    """An audit event of the action whose JSON detail holds these values."""
    return any(all(json.loads(e.detail or "{}").get(k) == v for k, v in detail.items())
               for e in AuditEvent.objects.filter(action=action))


def _upload(client: Client, name: str, data: bytes, number: str = "A1", kind: str = "会议记录") -> str:
    response = client.post(f"/activities/{number}/attachments/",
                           {"file": _named_file(name, data), "kind": kind}, follow=True)
    return response.content.decode()


def _named_file(name: str, data: bytes) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def _docx(extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_detail_page_shows_the_activity_and_who_attended(tree: Tree, county_admin: User) -> None:
    _activity()
    services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number="A1", entries=[
        AttendanceInput("CAD1"), AttendanceInput("MEM1", status="请假")])
    html = signed_in_client(county_admin).get("/activities/A1/").content.decode()
    assert "学习A1" in html and "科学发展观" in html
    assert "出席 1" in html and "请假 1" in html and "缺席 0" in html
    assert "李书记" in html and "王党员" in html
    only_leave = signed_in_client(county_admin).get("/activities/A1/?status=请假").content.decode()
    assert "王党员" in only_leave and "李书记" not in only_leave


def test_attendance_of_an_activity_exports_as_xlsx(tree: Tree, county_admin: User) -> None:
    _activity()
    services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number="A1",
                               entries=[AttendanceInput("CAD1", hours=Decimal("2.5"))])
    response = signed_in_client(county_admin).get("/activities/A1/?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("活动编号", "人员编号", "姓名", "所属组织", "出勤")
    assert rows[1][:5] == ("A1", "CAD1", "李书记", "中共丙县委员会", "出席")
    assert _audited("export", rows=1, table="attendance")


def test_sign_in_offers_members_central_group_and_search_across_the_scope(tree: Tree, county_admin: User) -> None:
    _activity()
    factories.make_person(tree.county, number="K1M", name="钱干事")
    client = signed_in_client(county_admin)
    members = client.get("/activities/A1/sign-in/").content.decode()
    assert "李书记" in members and "钱干事" in members and "王党员" not in members
    central = client.get("/activities/A1/sign-in/?source=central_group").content.decode()
    assert "李书记" in central and "钱干事" not in central
    found = client.get("/activities/A1/sign-in/?source=search&q=王").content.decode()
    assert "王党员" in found
    # 赵党员 is in another county: not the recorder's to sign in.
    assert "赵党员" not in client.get("/activities/A1/sign-in/?source=search&q=赵").content.decode()


def test_batch_sign_in_records_each_row_and_fills_the_blank_ones(tree: Tree, county_admin: User) -> None:
    _activity()
    factories.make_person(tree.county, number="K1M", name="钱干事")
    response = signed_in_client(county_admin).post("/activities/A1/sign-in/?source=members", {
        "source": "members", "person": ["CAD1", "K1M"], "status-CAD1": "请假", "status-K1M": "",
        "hours-K1M": "1.5", "fill": "出席"}, follow=True)
    assert "已登记 2 人的出勤" in response.content.decode()
    rows = {a.person.number: (a.status, a.hours) for a in Attendance.objects.select_related("person")}
    assert rows == {"CAD1": ("请假", None), "K1M": ("出席", Decimal("1.5"))}
    assert _audited("attendance_record", rows=2)


def test_sign_in_names_a_bad_number_and_stores_nothing(tree: Tree, county_admin: User) -> None:
    _activity()
    response = signed_in_client(county_admin).post("/activities/A1/sign-in/", {
        "source": "members", "person": ["CAD1", "MEM1"], "status-CAD1": "出席", "status-MEM1": "出席",
        "hours-MEM1": "两小时"}, follow=True)
    assert "人员 MEM1 的学时“两小时”不是数字" in response.content.decode()
    assert not Attendance.objects.exists()


def test_sign_in_refuses_someone_outside_the_scope(tree: Tree, county_admin: User) -> None:
    _activity()
    response = signed_in_client(county_admin).post("/activities/A1/sign-in/", {
        "source": "search", "q": "赵", "person": ["MEM2"], "status-MEM2": "出席"}, follow=True)
    assert "人员编号 MEM2 不存在" in response.content.decode()
    assert not Attendance.objects.exists()


def test_removing_an_attendance_row(tree: Tree, county_admin: User) -> None:
    _activity()
    services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number="A1",
                               entries=[AttendanceInput("MEM1")])
    response = signed_in_client(county_admin).post("/activities/A1/attendance/remove/", {"person": "MEM1"})
    assert response.status_code == 302
    assert not Attendance.objects.exists()
    assert _audited("attendance_remove", person="MEM1", status="出席")


def test_reviewer_reads_the_activity_but_may_not_sign_in_or_upload(tree: Tree, reviewer: User) -> None:
    _activity()
    client = signed_in_client(reviewer)
    html = client.get("/activities/A1/").content.decode()
    assert "学习A1" in html and "/activities/A1/sign-in/" not in html and 'type="file"' not in html
    assert client.get("/activities/A1/sign-in/").status_code == 403
    assert client.post("/activities/A1/attachments/", {"file": _named_file("a.pdf", PDF)}).status_code == 403
    assert not Attachment.objects.exists()


def test_an_activity_outside_the_scope_is_not_found_like_a_missing_one(tree: Tree, other_county_admin: User) -> None:
    _activity()
    client = signed_in_client(other_county_admin)
    outside, missing = client.get("/activities/A1/"), client.get("/activities/NOPE/")
    assert outside.status_code == missing.status_code == 404
    assert outside.content.decode().replace("A1", "NOPE") == missing.content.decode()


def test_a_pdf_is_kept_and_downloaded_as_an_attachment(
    tree: Tree, county_admin: User, settings: Any
) -> None:
    _activity()
    client = signed_in_client(county_admin)
    assert "已上传“会议记录.pdf”" in _upload(client, "C:\\Users\\me\\会议记录.pdf", PDF)
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.content_type, attachment.size) == ("会议记录.pdf", "application/pdf", len(PDF))
    stored = Path(settings.MEDIA_ROOT) / "attachments" / attachment.sha256[:2] / attachment.sha256
    assert stored.read_bytes() == PDF
    response = client.get(f"/activities/A1/attachments/{attachment.pk}/")
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]
    assert _audited("attachment_add", sha256=attachment.sha256, size=len(PDF))
    assert AuditEvent.objects.filter(action="attachment_download", object_repr="会议记录.pdf").exists()


def test_the_same_file_twice_is_stored_once(tree: Tree, county_admin: User, settings: Any) -> None:
    _activity()
    client = signed_in_client(county_admin)
    _upload(client, "a.pdf", PDF)
    _upload(client, "b.pdf", PDF)
    assert Attachment.objects.count() == 2
    assert len(list((Path(settings.MEDIA_ROOT) / "attachments").rglob("*"))) == 2  # one folder, one file


@pytest.mark.parametrize(("name", "data", "message"), [
    ("照片.pdf", PNG, "“照片.pdf”的内容是PNG 图片，与扩展名“.pdf”不符，应为 .png"),
    ("script.html", b"<script>alert(1)</script>", "无法识别“script.html”的文件类型"),
    ("空.pdf", b"", "“空.pdf”是空文件"),
    ("archive.docx", b"PK\x03\x04" + b"\x00" * 40, "“archive.docx”已损坏或不是完整的文档"),
    ("old.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "扩展名应为 .doc、.xls、.ppt 或 .wps"),
])
def test_a_file_is_judged_by_its_bytes(tree: Tree, county_admin: User, name: str, data: bytes, message: str) -> None:
    _activity()
    html = _upload(signed_in_client(county_admin), name, data)
    assert message in html
    assert not Attachment.objects.exists()


def test_a_plain_zip_named_docx_is_refused(tree: Tree, county_admin: User) -> None:
    _activity()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "“x.docx”是压缩包，不是可接受的附件" in _upload(signed_in_client(county_admin), "x.docx", buffer.getvalue())


def test_a_zip_bomb_is_refused(tree: Tree, county_admin: User) -> None:
    _activity()
    bomb = _docx({"word/media/filler.bin": b"\x00" * (60 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    assert "疑似压缩炸弹" in _upload(signed_in_client(county_admin), "bomb.docx", bomb)
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused(tree: Tree, county_admin: User, settings: Any) -> None:
    _activity()
    settings.XUEXI_ATTACHMENT_MAX_BYTES = 1024
    html = _upload(signed_in_client(county_admin), "big.pdf", PDF + b"\x00" * 2048)
    assert "“big.pdf”超过附件上限" in html
    assert not Attachment.objects.exists()


def test_a_docx_and_a_jpeg_are_accepted(tree: Tree, county_admin: User) -> None:
    _activity()
    client = signed_in_client(county_admin)
    _upload(client, "讲稿.docx", _docx(), kind="课件")
    _upload(client, "现场.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 32, kind="照片")
    assert sorted(Attachment.objects.values_list("name", "content_type")) == [
        ("现场.JPG", "image/jpeg"),
        ("讲稿.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ]


def test_a_download_outside_the_scope_is_not_found(tree: Tree, county_admin: User, other_county_admin: User) -> None:
    _activity()
    _upload(signed_in_client(county_admin), "a.pdf", PDF)
    attachment = Attachment.objects.get()
    client = signed_in_client(other_county_admin)
    assert client.get(f"/activities/A1/attachments/{attachment.pk}/").status_code == 404
    # nor through an activity of the caller's own with the attachment's id
    _activity("A3", host="K3")
    assert client.get(f"/activities/A3/attachments/{attachment.pk}/").status_code == 404


def test_a_removed_attachment_is_hidden_but_kept(tree: Tree, county_admin: User, settings: Any) -> None:
    _activity()
    client = signed_in_client(county_admin)
    _upload(client, "a.pdf", PDF)
    attachment = Attachment.objects.get()
    html = client.post(f"/activities/A1/attachments/{attachment.pk}/remove/", follow=True).content.decode()
    assert "已移除附件“a.pdf”（原件留存备查）" in html
    assert client.get(f"/activities/A1/attachments/{attachment.pk}/").status_code == 404
    attachment.refresh_from_db()
    assert attachment.removed_at is not None and attachment.removed_by == "county_admin"
    assert (Path(settings.MEDIA_ROOT) / "attachments" / attachment.sha256[:2] / attachment.sha256).exists()


def test_editing_an_activity_keeps_its_number(tree: Tree, county_admin: User) -> None:
    _activity()
    response = signed_in_client(county_admin).post("/activities/A1/edit/", {
        "number": "HIJACK", "kind": "中心组集体学习", "topic": "改过的主题", "start_date": "2026-03-06"})
    assert response.status_code == 302 and response["Location"] == "/activities/A1/"
    assert not services.Activity.objects.filter(number="HIJACK").exists()
    assert services.Activity.objects.get(number="A1").topic == "改过的主题"


def test_the_activity_list_exports_as_filtered_in_the_exchange_format(tree: Tree, county_admin: User) -> None:
    _activity("A1", host="K1")
    _activity("A2", host="T1")
    _activity("A3", host="K3")
    response = signed_in_client(county_admin).get("/orgs/K1/activities/?format=xlsx&own=1")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("活动编号", "活动类型", "主办组织编码")
    assert [r[0] for r in rows[1:]] == ["A1"]
    everything = signed_in_client(county_admin).get("/orgs/K1/activities/?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(everything.content)).active
    assert sheet is not None
    assert sorted(r[0] for r in list(sheet.iter_rows(values_only=True))[1:]) == ["A1", "A2"]
    assert _audited("export", rows=2)
