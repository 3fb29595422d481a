"""成果转化 pages: the list with its filters and export, the form, the detail, the links from elsewhere."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import Tree, signed_in_client
from tests.outcomes.world import DAY, THIS_YEAR, activity, record
from xuexi.accounts.models import AuditEvent, User
from xuexi.outcomes.models import Outcome


def _form(**overrides: str) -> dict[str, str]:
    values = {"kind": "调研报告", "title": "关于基层治理的调研报告", "date": DAY.isoformat(), "summary": "",
              "activity_numbers": "", "author_numbers": "", "adoption": "", "decision_name": "", "decision_date": "",
              "outlet": "", "link": ""}
    values.update(overrides)
    return values


def test_the_list_shows_the_subtree_by_default_and_only_its_own_on_request(tree: Tree, city_admin: User) -> None:
    # given
    record("C1", title="市里的调研报告")
    record("K1", title="县里的内参", kind="内参")
    client = signed_in_client(city_admin)
    # when
    subtree = client.get("/orgs/C1/outcomes/").content.decode()
    own = client.get("/orgs/C1/outcomes/?own=1").content.decode()
    # then
    assert "市里的调研报告" in subtree and "县里的内参" in subtree
    assert "调研报告 1" in subtree and "内参 1" in subtree
    assert "市里的调研报告" in own and "县里的内参" not in own


def test_the_list_filters_by_year_and_kind(tree: Tree, county_admin: User) -> None:
    record("K1", title="今年的报告")
    record("K1", title="去年的报告", date=DAY.replace(year=THIS_YEAR - 1))
    record("K1", title="今年的内参", kind="内参")
    html = signed_in_client(county_admin).get(f"/orgs/K1/outcomes/?year={THIS_YEAR - 1}&kind=调研报告").content.decode()
    assert "去年的报告" in html and "今年的报告" not in html and "今年的内参" not in html


def test_the_export_reads_back_with_every_row_and_the_counts(tree: Tree, county_admin: User) -> None:
    # given
    activity("R1")
    record("K1", title="=调研报告", activity_numbers=["R1"], author_numbers=["CAD1"])
    record("K1", title="采纳的建议", kind="决策建议", adoption="已采纳", decision_name="县委决定", decision_date=DAY)
    # when
    response = signed_in_client(county_admin).get(f"/orgs/K1/outcomes/?year={THIS_YEAR}&format=xlsx")
    # then
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    listed = list(book["学习成果"].iter_rows(values_only=True))
    assert listed[0][:5] == ("成果编号", "组织编码", "所属组织", "成果类别", "标题")
    rows = {row[4]: row for row in listed[1:]}
    assert set(rows) == {"'=调研报告", "采纳的建议"}  # a formula-like title stays text
    assert rows["'=调研报告"][7:9] == ("李书记（CAD1）", "R1")
    assert rows["采纳的建议"][9:11] == ("已采纳", "县委决定")
    counts = dict(book[f"{THIS_YEAR}年分类统计"].iter_rows(min_row=2, values_only=True))
    assert counts["决策建议"] == 1 and counts["决策建议（已采纳）"] == 1 and counts["调研报告"] == 1
    assert AuditEvent.objects.filter(action="export", object_type="outcomes", object_id="K1").exists()


def test_the_list_and_its_export_take_as_many_queries_for_many_rows_as_for_few(
        tree: Tree, county_admin: User, django_assert_max_num_queries: Any) -> None:
    # given
    activity("R1")
    client = signed_in_client(county_admin)
    record("K1", activity_numbers=["R1"], author_numbers=["CAD1"])
    client.get("/orgs/K1/outcomes/")
    pages = []
    for path in ("/orgs/K1/outcomes/", "/orgs/K1/outcomes/?format=xlsx"):
        with CaptureQueriesContext(connection) as few:
            client.get(path)
        pages.append((path, len(few)))
    for n in range(5):
        record("T1", title=f"报告{n}", activity_numbers=["R1"], author_numbers=["MEM1"])
    # when / then
    for path, few_queries in pages:
        with django_assert_max_num_queries(few_queries):
            assert client.get(path).status_code == 200


def test_recording_through_the_form_goes_to_the_new_outcome(tree: Tree, county_admin: User) -> None:
    # given
    activity("R1")
    # when
    response = signed_in_client(county_admin).post("/orgs/K1/outcomes/new/",
                                                   _form(activity_numbers="R1", author_numbers="CAD1、MEM1"))
    # then
    outcome = Outcome.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/outcomes/{outcome.number}/"
    assert outcome.authors.count() == 2


def test_a_refused_activity_is_named_in_chinese_beside_its_field(tree: Tree, county_admin: User) -> None:
    # given
    activity("T9", kind="培训")
    # when
    response = signed_in_client(county_admin).post("/orgs/K1/outcomes/new/", _form(activity_numbers="T9"))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="text-danger small" data-testid="field-error">来源活动 T9（培训T9）是培训：' \
           "调研报告应来自专题调研或调查研究活动</div>" in html
    assert not Outcome.objects.exists()


def test_a_malformed_date_is_explained(tree: Tree, county_admin: User) -> None:
    response = signed_in_client(county_admin).post("/orgs/K1/outcomes/new/", _form(date="2025-13-40"))
    assert "日期“2025-13-40”无效：应为日期，如 2025-06-30" in response.content.decode()


def test_the_form_starts_from_the_activity_it_was_opened_from(tree: Tree, county_admin: User) -> None:
    activity("R1")
    html = signed_in_client(county_admin).get("/orgs/K1/outcomes/new/?activity=R1").content.decode()
    assert 'name="activity_numbers" value="R1"' in html


def test_an_edit_changes_the_fields_and_keeps_the_number(tree: Tree, county_admin: User) -> None:
    outcome = record("K1")
    client = signed_in_client(county_admin)
    assert "关于乡村振兴的调研报告" in client.get(f"/outcomes/{outcome.number}/edit/").content.decode()
    response = client.post(f"/outcomes/{outcome.number}/edit/", _form(title="改过的标题"))
    assert response["Location"] == f"/outcomes/{outcome.number}/"
    assert Outcome.objects.get(number=outcome.number).title == "改过的标题"


def test_the_detail_shows_the_decision_the_sources_and_the_authors(tree: Tree, county_admin: User) -> None:
    activity("R1")
    outcome = record("K1", kind="决策建议", adoption="已采纳", decision_name="县委决定", decision_date=DAY,
                     activity_numbers=["R1"], author_numbers=["CAD1"])
    html = signed_in_client(county_admin).get(f"/outcomes/{outcome.number}/").content.decode()
    assert "县委决定" in html and "调查研究R1" in html and "李书记" in html
    assert 'href="/activities/R1/"' in html


def test_an_activity_page_links_to_the_outcomes_that_cite_it(tree: Tree, county_admin: User) -> None:
    activity("R1")
    outcome = record("K1", activity_numbers=["R1"])
    html = signed_in_client(county_admin).get("/activities/R1/").content.decode()
    assert f'href="/outcomes/{outcome.number}/"' in html


def test_the_supervision_dashboard_counts_the_outcomes(tree: Tree, city_admin: User) -> None:
    record("K1", kind="决策建议", adoption="已采纳", decision_name="县委决定", decision_date=DAY)
    record("K1", kind="调研报告")
    html = signed_in_client(city_admin).get(f"/orgs/C1/compliance/?year={THIS_YEAR}").content.decode()
    assert 'data-testid="outcome-card"' in html
    assert "决策建议 1" in html and "决策建议（已采纳） 1" in html and "调研报告 1" in html


def test_a_file_goes_up_and_comes_down_as_a_download(tree: Tree, county_admin: User) -> None:
    # given
    outcome = record("K1")
    client = signed_in_client(county_admin)
    # when
    client.post(f"/outcomes/{outcome.number}/attachments/",
                {"file": SimpleUploadedFile("报告.pdf", b"%PDF-1.4\n%%EOF\n")})
    kept = outcome.attachments.get()
    download = client.get(f"/outcomes/{outcome.number}/attachments/{kept.pk}/")
    refused = client.post(f"/outcomes/{outcome.number}/attachments/",
                          {"file": SimpleUploadedFile("病毒.exe", b"MZ\x90\x00")}, follow=True)
    # then
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4\n%%EOF\n"  # type: ignore[attr-defined]
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "无法识别“病毒.exe”的文件类型" in refused.content.decode()
    assert AuditEvent.objects.filter(action="outcome_attachment_download", object_id=outcome.number).exists()
