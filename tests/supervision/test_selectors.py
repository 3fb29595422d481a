"""What the inspection pages read: the inspected organization's own data item by item, both sides' open items,
overdue flagged, and reminders that come once."""

from __future__ import annotations

import io
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import Tree
from tests.exchange.test_documents import LIBREOFFICE_TIMEOUT, libreoffice
from tests.supervision.conftest import Loop, answer, find, issue, plan, scope_of
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import whole_tree_scope
from xuexi.cli import main
from xuexi.learning import services as learning
from xuexi.notices.models import Notification
from xuexi.notices.services import remind
from xuexi.orgs.models import Organization
from xuexi.supervision import selectors, services
from xuexi.supervision.access import access_inspection


def _detail(user: User, number: str, today: date | None = None) -> selectors.InspectionView:
    scope = scope_of(user)
    inspection = access_inspection(scope=scope, number=number)
    return selectors.inspection_detail(scope=scope, inspection=inspection, today=today or timezone.localdate())


def test_each_item_shows_the_inspected_organizations_own_data_for_the_year(tree: Tree, city_admin: User) -> None:
    # given: the county's central group met once in the first quarter; a township's session does not count
    year = timezone.localdate().year
    for number, host in (("Z1", "K1"), ("Z2", "T1")):
        learning.activity_save(actor=None, scope=whole_tree_scope(), data=learning.ActivityInput(
            number=number, kind="中心组集体学习", host_code=host, start_date=date(year, 2, 3), topic=f"学习{number}"))
    inspection = plan(city_admin)
    # when
    view = _detail(city_admin, inspection.number)
    # then
    items = {v.item.area or v.item.rule.code: v for v in view.targets[0].items}  # type: ignore[union-attr]
    central = items["central_group"]
    assert central.figures[0].value == "1 次（第1季度 1 次、第2季度 0 次、第3季度 0 次、第4季度 0 次）"
    assert [a.number for a in central.activities] == ["Z1"]
    rule = items["central-group-study-quarterly"]
    assert [row.period for row in rule.rows] == [f"{year}-Q{q}" for q in (1, 2, 3, 4)]
    assert rule.rows[0].status == "met"
    assert "落实率" in rule.figures[0].value
    assert items["self_study"].figures[0].value == "1 人"  # 李书记, on the county's own roster
    assert items["outcomes"].figures[0].label == "本级调研报告"
    assert items["funding"].note.startswith("平台不记录经费和学习设施")


def test_the_inspection_page_costs_the_same_queries_however_many_findings_and_items(
        tree: Tree, loop: Loop, city_admin: User, county_admin: User, django_assert_max_num_queries: Any) -> None:
    # given
    with CaptureQueriesContext(connection) as few:
        _detail(city_admin, loop.inspection.number)
    for n in range(4):
        finding = find(city_admin, loop.inspection, area="training", text=f"问题{n}")
        answer(county_admin, issue(city_admin, finding))
    # then
    with django_assert_max_num_queries(len(few)):
        view = _detail(city_admin, loop.inspection.number)
    assert len(view.rectifications) == 5 and len(view.findings) == 5


def test_both_sides_see_the_open_items_and_the_overdue_ones(
        tree: Tree, loop: Loop, city_admin: User, county_admin: User, reviewer: User) -> None:
    # given: a day after the item's date
    late = loop.item.due_date + timedelta(days=1)
    # when
    city = selectors.rectification_summary(scope=scope_of(city_admin), today=late)
    county = selectors.rectification_summary(scope=scope_of(county_admin), today=late)
    page = selectors.org_supervision(scope=scope_of(county_admin), org=Organization.objects.get(code="K1"),
                                     today=late)
    # then: the city follows it up, the county owes it; both see it overdue
    assert (city.run_open, city.run_overdue, city.owed_open) == (1, 1, 0)
    assert (county.owed_open, county.owed_overdue, county.run_open) == (1, 1, 0)
    assert [(r.item.seq, r.overdue, r.days_overdue) for r in county.overdue] == [(1, True, 1)]
    assert page.overdue == 1 and [i.number for i in page.undergoes] == [loop.inspection.number]
    # and on the day itself it is not overdue yet
    assert selectors.rectification_summary(scope=scope_of(county_admin), today=loop.item.due_date).owed_overdue == 0


def test_a_closed_item_is_never_overdue(tree: Tree, loop: Loop, city_admin: User, county_admin: User) -> None:
    # given
    answer(county_admin, loop.item)
    services.rectification_verify(actor=city_admin, scope=scope_of(city_admin), number=loop.inspection.number,
                                  seq=1, close=True)
    # when
    summary = selectors.rectification_summary(scope=scope_of(city_admin), today=loop.item.due_date + timedelta(9))
    # then
    assert (summary.run_open, summary.run_overdue, summary.overdue) == (0, 0, [])


# -- reminders -----------------------------------------------------------------------------------------
def _reminders(item_pk: int) -> list[str]:
    return sorted(Notification.objects.filter(key__startswith=f"rectification:{item_pk}:")
                  .values_list("key", flat=True))


def test_the_owing_organization_is_reminded_a_week_before_on_the_day_and_weekly_while_overdue(
        tree: Tree, loop: Loop, county_admin: User) -> None:
    # given
    due = loop.item.due_date
    prefix = f"rectification:{loop.item.pk}:"
    # when: on the days around each edge, twice a day
    for offset in (-14, -8, -7, -7, -3, -1, 0, 0, 1, 1, 5, 7, 8, 8, 14, 15, 17):
        remind(as_of=due + timedelta(days=offset))
    # then
    assert _reminders(loop.item.pk) == [f"{prefix}before:{due}", f"{prefix}due:{due}", f"{prefix}overdue:{due}:0",
                                        f"{prefix}overdue:{due}:1", f"{prefix}overdue:{due}:2"]
    notices = Notification.objects.filter(key__startswith=prefix).order_by("created_at", "id")
    assert {n.recipient for n in notices} == {county_admin}
    assert notices.first().title == f"中共丙县委员会：整改事项将于 {due} 到期（还有 7 天）"  # type: ignore[union-attr]


def test_an_answered_item_is_not_reminded(tree: Tree, loop: Loop, county_admin: User) -> None:
    # given
    answer(county_admin, loop.item)
    # when
    remind(as_of=loop.item.due_date + timedelta(days=3))
    # then
    assert _reminders(loop.item.pk) == []


# -- the report ----------------------------------------------------------------------------------------
def _paragraphs(data: bytes) -> list[tuple[str, str]]:
    document = docx.Document(io.BytesIO(data))
    return [(p.style.name if p.style else "", p.text) for p in document.paragraphs]


def test_the_report_reads_back_with_its_headings_findings_and_items(
        tree: Tree, loop: Loop, city_admin: User) -> None:
    # when
    filename, data = services.inspection_report_export(actor=city_admin, scope=scope_of(city_admin),
                                                       number=loop.inspection.number)
    # then
    paragraphs = _paragraphs(data)
    headings = [text for style, text in paragraphs if style.startswith("Heading")]
    assert headings == ["一、检查基本情况", "二、检查发现的问题", "（一）中共丙县委员会", "1.中心组学习",
                        "三、整改要求"]
    assert paragraphs[0][1] == "年度督学检查情况报告"
    assert ("Normal", "中共丙县委员会：") in paragraphs
    assert any("第三季度未开展中心组集体学习" in text for _, text in paragraphs)
    cells = [cell.text for table in docx.Document(io.BytesIO(data)).tables for row in table.rows for cell in row.cells]
    assert "补开中心组集体学习并报送会议记录" in cells and "待整改" in cells
    assert filename == f"督学检查报告-{loop.inspection.number}.docx"
    assert AuditEvent.objects.filter(action="export", object_type="inspection", actor_name="city_admin").exists()


def test_the_report_is_an_official_document_libreoffice_converts(tree: Tree, loop: Loop, city_admin: User,
                                                                  tmp_path: Path) -> None:
    # given
    _, data = services.inspection_report_export(actor=city_admin, scope=scope_of(city_admin),
                                                number=loop.inspection.number)
    (tmp_path / "inspection.docx").write_bytes(data)
    # then: GB/T 9704's margins, and LibreOffice makes a PDF of it
    section = docx.Document(io.BytesIO(data)).sections[0]
    assert [round(m.mm, 1) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                      section.right_margin)] == [37.0, 35.0, 28.0, 26.0]
    done = subprocess.run(
        [libreoffice(), f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(tmp_path / "inspection.docx")],
        capture_output=True, text=True, timeout=LIBREOFFICE_TIMEOUT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "inspection.pdf").read_bytes()[:5] == b"%PDF-"


def test_the_command_line_exports_the_report_and_lists_inspections(
        tree: Tree, loop: Loop, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # when
    target = tmp_path / "report.docx"
    exported = main(["inspection", "export", loop.inspection.number, "--output", str(target)])
    listed = main(["inspection", "list", "--org", "K1"])
    missing = main(["inspection", "export", "NO-SUCH"])
    # then
    assert (exported, listed, missing) == (0, 0, 1)
    assert "三、整改要求" in [text for _, text in _paragraphs(target.read_bytes())]
    out, err = capsys.readouterr()
    assert f"{loop.inspection.number}\t年度督学检查\t中共甲市委员会" in out
    assert "督学检查编号 NO-SUCH 不存在" in err
    assert AuditEvent.objects.filter(action="export", actor_name="xuexi inspection export").exists()
