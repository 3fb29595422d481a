from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import Tree, signed_in_client
from xuexi.accounts.models import AuditEvent, User
from xuexi.orgs.models import Organization
from xuexi.people.models import Person

GOOD = "组织编码,组织名称,上级组织编码,组织层级,组织类型,单位类别\nT9,九镇,K1,乡级,党委,农村\n".encode("gb18030")
BAD = ("组织编码,组织名称,上级组织编码,组织层级,组织类型,单位类别\n"
       "T9,九镇,K1,乡级,党委,农村\nT8,八镇,K3,村级,党委,农村\n")


def _upload(content: bytes, name: str = "orgs.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_preview_lists_every_error_and_stores_nothing(tree: Tree, county_admin: User) -> None:
    response = signed_in_client(county_admin).post("/exchange/preview/", {
        "table": "orgs", "file": _upload(BAD.encode("utf-8"))})
    html = response.content.decode()
    assert "没有导入任何数据" in html
    assert "<td>3</td><td>组织层级</td><td>村级</td>" in html
    assert "<td>3</td><td>上级组织编码</td><td>K3</td>" in html
    assert not Organization.objects.filter(code="T9").exists()


def test_preview_then_confirm_imports_once(tree: Tree, county_admin: User) -> None:
    client = signed_in_client(county_admin)
    preview = client.post("/exchange/preview/", {"table": "orgs", "file": _upload(GOOD)}).content.decode()
    assert "检查通过" in preview
    assert not Organization.objects.filter(code="T9").exists()
    digest = preview.split('name="digest" value="')[1].split('"')[0]
    done = client.post("/exchange/confirm/", {"table": "orgs", "digest": digest, "filename": "orgs.csv"})
    assert "新增 1" in done.content.decode()
    assert Organization.objects.get(code="T9").path.startswith(tree.county.path)
    again = client.post("/exchange/confirm/", {"table": "orgs", "digest": digest})
    assert again.status_code == 404
    assert AuditEvent.objects.filter(action="import", actor_id=county_admin.pk, outcome="success").count() == 1


def test_another_users_upload_cannot_be_confirmed(tree: Tree, county_admin: User, city_admin: User) -> None:
    preview = signed_in_client(county_admin).post("/exchange/preview/", {"table": "orgs", "file": _upload(GOOD)})
    digest = preview.content.decode().split('name="digest" value="')[1].split('"')[0]
    response = signed_in_client(city_admin).post("/exchange/confirm/", {"table": "orgs", "digest": digest})
    assert response.status_code == 404
    assert not Organization.objects.filter(code="T9").exists()


def test_a_picture_named_xlsx_is_refused(tree: Tree, county_admin: User) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = signed_in_client(county_admin).post("/exchange/preview/", {
        "table": "members", "file": SimpleUploadedFile("roster.xlsx", png)})
    html = response.content.decode()
    assert "无法识别的文件类型" in html
    assert "PNG 图片" in html
    assert not Person.objects.filter(number__startswith="Z").exists()


def test_reviewer_exports_masked_but_may_not_import(tree: Tree, reviewer: User) -> None:
    client = signed_in_client(reviewer)
    exported = client.get("/exchange/export/members/")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    assert "13912345678" not in str([[c.value for c in row] for row in sheet.iter_rows()])
    assert exported["Content-Disposition"].startswith("attachment")
    assert client.post("/exchange/preview/", {"table": "orgs", "file": _upload(GOOD)}).status_code == 403


def test_templates_download(tree: Tree, county_admin: User) -> None:
    response = signed_in_client(county_admin).get("/exchange/template/activities/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert next(sheet.iter_rows()).__getitem__(0).value == "活动编号"
    assert signed_in_client(county_admin).get("/exchange/template/nonsense/").status_code == 404
