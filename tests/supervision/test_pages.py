"""督学检查 through the pages and the API: the whole loop, the forms' errors in Chinese, both sides' views."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import docx
from django.test import Client
from django.utils import timezone

from tests.conftest import Tree, signed_in_client
from tests.supervision.conftest import PDF, Loop, answer
from xuexi.accounts.models import User
from xuexi.supervision.models import Evidence, Inspection, RectificationItem, RectificationStatus


def _upload(name: str = "整改会议记录.pdf", data: bytes = PDF) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def test_the_whole_loop_through_the_pages(tree: Tree, city_admin: User, county_admin: User) -> None:
    # given
    city, county = signed_in_client(city_admin), signed_in_client(county_admin)
    today = timezone.localdate()
    # when: the city plans, finds, issues
    planned = city.post("/orgs/C1/inspections/new/", {
        "number": "DX-P1", "title": "年度督学检查", "year": today.year, "start_date": today, "end_date": today,
        "inspected_codes": "K1", "inspectors": "张检查 city_admin\n李检查", "description": ""})
    inspection = Inspection.objects.get(number="DX-P1")
    item_id = inspection.targets.get().checklist.get(area="central_group").pk
    found = city.post("/inspections/DX-P1/findings/", {"item": item_id, "text": "第三季度未开展中心组学习"})
    finding = inspection.findings.get()
    issued = city.post("/inspections/DX-P1/rectifications/", {
        "finding": finding.pk, "requirement": "补开中心组学习", "responsible_code": "K1",
        "due_date": today + timedelta(days=10)})
    # and the county answers with evidence, the city closes it
    answered = county.post("/inspections/DX-P1/rectifications/1/answer/",
                           {"measures": "已补开", "files": [_upload()]})
    closed = city.post("/inspections/DX-P1/rectifications/1/verify/", {"decision": "close", "comment": "同意销号"})
    # then
    assert planned.status_code == found.status_code == issued.status_code == 302
    assert planned["Location"] == "/inspections/DX-P1/"
    assert (answered.status_code, closed.status_code) == (302, 302)
    assert RectificationItem.objects.get().status == RectificationStatus.CLOSED
    page = county.get("/inspections/DX-P1/rectifications/1/").content.decode()
    assert "已销号" in page and "同意销号" in page and "整改会议记录.pdf" in page
    evidence = Evidence.objects.get()
    download = county.get(f"/inspections/DX-P1/rectifications/1/evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    detail = city.get("/inspections/DX-P1/").content.decode()
    assert "第三季度未开展中心组学习" in detail and "张检查（city_admin）、李检查" in detail


def test_the_plan_form_names_the_field_the_value_and_what_is_expected(tree: Tree, city_admin: User) -> None:
    # when
    today = timezone.localdate()
    bad_date = signed_in_client(city_admin).post("/orgs/C1/inspections/new/", {
        "title": "检查", "year": today.year, "start_date": "2026-13-01", "end_date": today,
        "inspected_codes": "K1", "inspectors": "张检查"}).content.decode()
    bad_org = signed_in_client(city_admin).post("/orgs/C1/inspections/new/", {
        "title": "检查", "year": today.year, "start_date": today, "end_date": today,
        "inspected_codes": "K1 K3", "inspectors": "张检查"}).content.decode()
    # then
    assert "开始日期“2026-13-01”无效：应为日期，如 2026-06-30" in bad_date
    assert "被检查组织编码 K3 不存在，或不是中共甲市委员会的下级组织" in bad_org
    assert not Inspection.objects.exists()


def test_a_form_of_the_inspection_page_says_which_value_was_wrong(tree: Tree, loop: Loop, city_admin: User) -> None:
    # when
    response = signed_in_client(city_admin).post(f"/inspections/{loop.inspection.number}/rectifications/", {
        "finding": loop.finding.pk, "requirement": "再补一次", "responsible_code": "K1", "due_date": "2026-02-30"},
        follow=True)
    # then
    assert "整改期限“2026-02-30”无效：应为日期，如 2026-06-30" in response.content.decode()
    assert RectificationItem.objects.count() == 1


def test_a_refused_answer_says_why_on_the_item_page(tree: Tree, loop: Loop, county_admin: User) -> None:
    # when
    client = signed_in_client(county_admin)
    response = client.post(f"/inspections/{loop.inspection.number}/rectifications/1/answer/",
                           {"measures": "已整改", "files": [_upload("照片.jpg")]}, follow=True)
    # then
    assert "“照片.jpg”的内容是PDF 文档，与扩展名“.jpg”不符，应为 .pdf" in response.content.decode()
    assert RectificationItem.objects.get().status == RectificationStatus.OPEN


def test_the_workbench_and_the_org_page_flag_the_overdue_item_on_both_sides(
        tree: Tree, loop: Loop, city_admin: User, county_admin: User) -> None:
    # given: the item is due today; it is not overdue yet
    RectificationItem.objects.filter(pk=loop.item.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    # when
    county_bench = signed_in_client(county_admin).get("/").content.decode()
    city_bench = signed_in_client(city_admin).get("/").content.decode()
    owed = signed_in_client(county_admin).get("/orgs/K1/inspections/").content.decode()
    runs = signed_in_client(city_admin).get("/orgs/C1/inspections/").content.decode()
    # then
    assert 'data-testid="owed-overdue">逾期 1' in county_bench and "逾期 2 天" in county_bench
    assert "逾期 1</span>" in city_bench and "逾期 2 天" in city_bench
    assert 'data-testid="org-overdue">逾期 1' in owed
    assert '<span class="badge text-bg-danger">1</span>' in runs


def test_the_report_downloads_as_word(tree: Tree, loop: Loop, reviewer: User) -> None:
    # when
    response = signed_in_client(reviewer).get(f"/inspections/{loop.inspection.number}/export/")
    # then
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in response["Content-Disposition"]
    headings = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs
                if p.style is not None and p.style.name.startswith("Heading")]
    assert "三、整改要求" in headings


# -- the API -------------------------------------------------------------------------------------------
def _json(client: Client, method: str, path: str, body: object) -> Any:
    return client.generic(method, path, data=json.dumps(body), content_type="application/json")


def test_the_whole_loop_through_the_api(tree: Tree, city_admin: User, county_admin: User) -> None:
    # given
    city, county = signed_in_client(city_admin), signed_in_client(county_admin)
    today = timezone.localdate()
    # when
    planned = _json(city, "POST", "/api/inspections", {
        "title": "年度督学检查", "inspector_code": "C1", "year": today.year, "start_date": str(today),
        "end_date": str(today), "inspected_codes": ["K1"],
        "inspectors": [{"name": "张检查", "username": "city_admin"}]})
    number = planned.json()["number"]
    item_id = next(i["id"] for i in planned.json()["inspected"][0]["checklist"] if i["area"] == "training")
    found = _json(city, "POST", f"/api/inspections/{number}/findings", {"item_id": item_id, "text": "未开展培训"})
    issued = _json(city, "POST", f"/api/inspections/{number}/rectifications", {
        "finding_id": found.json()["id"], "requirement": "开展一次党员教育培训", "responsible_code": "K1",
        "due_date": str(today + timedelta(days=20))})
    answered = county.post(f"/api/inspections/{number}/rectifications/1/answer",
                           {"measures": "已开展培训", "files": [_upload()]})
    returned = _json(city, "POST", f"/api/inspections/{number}/rectifications/1/verify",
                     {"decision": "return", "comment": "缺少签到表"})
    listed = county.get("/api/inspections?org=K1")
    report = county.get(f"/api/inspections/{number}/report")
    # then
    assert (planned.status_code, found.status_code, issued.status_code) == (201, 201, 201)
    assert answered.status_code == 200, answered.content
    assert answered.json()["history"][1]["evidence"][0]["name"] == "整改会议记录.pdf"
    assert returned.json()["status"] == "returned" and returned.json()["history"][-1]["text"] == "缺少签到表"
    assert [i["number"] for i in listed.json()["items"]] == [number]
    assert report.status_code == 200 and report.content.startswith(b"PK")


def test_api_errors_have_the_one_shape(tree: Tree, loop: Loop, city_admin: User, other_county_admin: User) -> None:
    # when
    today = str(timezone.localdate())
    invalid = _json(signed_in_client(city_admin), "POST", "/api/inspections", {
        "title": "检查", "inspector_code": "C1", "year": 2026, "start_date": today, "end_date": today,
        "inspected_codes": ["K3"], "inspectors": [{"name": "张检查"}]})
    unseen = signed_in_client(other_county_admin).get(f"/api/inspections/{loop.inspection.number}")
    conflict = _json(signed_in_client(city_admin), "POST",
                     f"/api/inspections/{loop.inspection.number}/rectifications/1/verify", {"decision": "close"})
    # then
    assert (invalid.status_code, invalid.json()["code"]) == (422, "inspection_invalid")
    assert invalid.json()["field"] == "inspected_codes"
    assert unseen.status_code == 404
    assert unseen.json() == {"code": "inspection_not_found", "detail": f"督学检查编号 {loop.inspection.number} 不存在"}
    assert (conflict.status_code, conflict.json()["code"]) == (409, "rectification_state")


def test_an_answer_through_the_api_is_refused_to_the_inspecting_side(
        tree: Tree, loop: Loop, city_admin: User, county_admin: User) -> None:
    # when
    refused = signed_in_client(city_admin).post(
        f"/api/inspections/{loop.inspection.number}/rectifications/1/answer", {"measures": "代为报送"})
    answer(county_admin, loop.item)
    # then
    assert refused.status_code == 403
    assert refused.json()["detail"] == "第 1 项整改事项由中共丙县委员会的管理员报送整改情况；检查方不能代为报送"
