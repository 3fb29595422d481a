"""The annual report: drafted from the record, edited, sent, returned and sent again, accepted; late by a second."""

from __future__ import annotations

import io
import json
import subprocess
import zoneinfo
from datetime import date, datetime
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from django.test import Client

from tests import factories
from tests.conftest import Tree, signed_in_client
from tests.exchange.test_documents import LIBREOFFICE_TIMEOUT, face, libreoffice
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.accounts.services import api_token_create
from xuexi.cli import main
from xuexi.errors import DomainError, ErrorKind
from xuexi.learning import services as learning
from xuexi.learning.models import StudyPlan, StudyPlanItem
from xuexi.learning.services import ActivityInput, AttendanceInput
from xuexi.norms import standings
from xuexi.norms.engine import evaluate
from xuexi.norms.models import Standing
from xuexi.notices.models import Notification
from xuexi.orgs.models import Organization
from xuexi.reports import exporting, selectors, services
from xuexi.reports.models import AnnualReport, ReportState, ReportVersion

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
RULE = "annual-report-jan31"
YEAR = 2025


def _scope(user: User) -> Scope:
    return Scope.for_user(user)


def _record_year() -> None:
    """K1 holds one central-group session in Q1 only and one off-job training; its plan for next year exists."""
    scope = whole_tree_scope()
    learning.activity_save(actor=None, scope=scope, data=ActivityInput(
        number="A1", kind="中心组集体学习", host_code="K1", start_date=date(YEAR, 2, 10), topic="学习党章",
        content_areas=["科学发展观"]))
    learning.attendance_record(actor=None, scope=scope, activity_number="A1", entries=[AttendanceInput("CAD1")])
    learning.activity_save(actor=None, scope=scope, data=ActivityInput(
        number="A2", kind="培训", host_code="K1", start_date=date(YEAR, 5, 6), topic="干部培训", hours=None,
        training_type="理论培训", off_job=True))
    plan = StudyPlan.objects.create(org=Organization.objects.get(code="K1"), year=YEAR + 1,
                                    title="丙县县委 2026 年学习计划", reading_list=["习近平谈治国理政"])
    StudyPlanItem.objects.create(plan=plan, quarter=1, kind="中心组集体学习", topic="学习全会精神")


def _drafted(county_admin: User) -> AnnualReport:
    _record_year()
    return services.report_draft(actor=county_admin, scope=_scope(county_admin), org_code="K1", year=YEAR,
                                 as_of=date(YEAR + 1, 1, 10))


def _submit(user: User, when: datetime) -> ReportVersion:
    return services.report_submit(actor=user, scope=_scope(user), org_code="K1", year=YEAR, now=when)


def test_the_draft_is_built_from_the_record(tree: Tree, county_admin: User) -> None:
    report = _drafted(county_admin)
    # 一、基本情况: activities by kind and content area, central-group sessions by quarter, trainings
    assert "共主办学习活动 2 次，其中中心组集体学习 1 次、培训 1 次" in report.basics
    assert "科学发展观（1 次）" in report.basics
    assert "中心组集体学习 1 次：第一季度 1 次，第二季度 0 次，第三季度 0 次，第四季度 0 次" in report.basics
    assert "举办党员教育培训 1 期，其中脱产培训 1 期" in report.basics
    # 三、存在问题和不足: from the norms missed, quarter by quarter
    assert "2025-Q2“central-group-study-quarterly”未达到要求" in report.problems
    # 四、下一年度学习计划: from the plan for the next year
    assert "第一季度：中心组集体学习“学习全会精神”" in report.next_plan and "《习近平谈治国理政》" in report.next_plan
    assert report.figures["central_group_sessions"] == [1, 0, 0, 0]
    assert AuditEvent.objects.filter(action="report_draft", object_id="K1/2025").exists()


def test_submit_return_resubmit_accept_every_version_kept(tree: Tree, county_admin: User, city_admin: User) -> None:
    # given
    _drafted(county_admin)
    services.report_save(actor=county_admin, scope=_scope(county_admin), org_code="K1", year=YEAR,
                         changes={"practices": "坚持中心组学习制度。"})
    # when: sent on 20 January
    first = _submit(county_admin, datetime(YEAR + 1, 1, 20, 10, tzinfo=SHANGHAI))
    # then: the level above is told; the draft is locked while it waits
    assert (first.number, first.late) == (1, False)
    assert Notification.objects.filter(recipient=city_admin, key__startswith="report-submitted:").count() == 1
    with pytest.raises(DomainError) as locked:
        services.report_save(actor=county_admin, scope=_scope(county_admin), org_code="K1", year=YEAR,
                             changes={"practices": "改"})
    assert locked.value.kind == ErrorKind.CONFLICT
    # the county may not decide on its own report; returning needs comments
    with pytest.raises(DomainError) as own:
        services.report_decide(actor=county_admin, scope=_scope(county_admin), org_code="K1", year=YEAR, accept=True)
    assert own.value.kind == ErrorKind.FORBIDDEN
    with pytest.raises(DomainError, match="退回修改时请写明意见"):
        services.report_decide(actor=city_admin, scope=_scope(city_admin), org_code="K1", year=YEAR, accept=False)
    # when: the city returns it with comments, the county edits and sends again, the city accepts
    services.report_decide(actor=city_admin, scope=_scope(city_admin), org_code="K1", year=YEAR, accept=False,
                           comments="请补充调查研究情况。")
    assert Notification.objects.filter(recipient=county_admin, key__startswith="report-decided:").count() == 1
    services.report_save(actor=county_admin, scope=_scope(county_admin), org_code="K1", year=YEAR,
                         changes={"practices": "坚持中心组学习制度，开展调查研究。"})
    second = _submit(county_admin, datetime(YEAR + 1, 2, 3, 9, tzinfo=SHANGHAI))
    services.report_decide(actor=city_admin, scope=_scope(city_admin), org_code="K1", year=YEAR, accept=True)
    # then: both versions kept as sent, with their decisions; the first submission is the one judged
    report = AnnualReport.objects.get(org__code="K1", year=YEAR)
    versions = list(report.versions.order_by("number"))
    assert [(v.number, v.decision, v.comments, v.practices) for v in versions] == [
        (1, "returned", "请补充调查研究情况。", "坚持中心组学习制度。"),
        (2, "accepted", "", "坚持中心组学习制度，开展调查研究。")]
    assert second.late is True and report.state == ReportState.ACCEPTED
    assert report.first_submitted_at == datetime(YEAR + 1, 1, 20, 10, tzinfo=SHANGHAI)
    # a sent version never changes
    versions[0].practices = "篡改"
    with pytest.raises(ValueError, match="已报送的版本不能修改"):
        versions[0].save()
    assert {e.action for e in AuditEvent.objects.filter(object_id="K1/2025")} >= {
        "report_draft", "report_save", "report_submit", "report_return", "report_accept"}


@pytest.mark.parametrize(("when", "late", "actual"), [
    (datetime(YEAR + 1, 1, 31, 23, 59, 59, tzinfo=SHANGHAI), False, 100),
    (datetime(YEAR + 1, 2, 1, 0, 0, 0, tzinfo=SHANGHAI), True, 0),  # one second after the deadline
])
def test_a_report_one_second_after_the_deadline_is_late(tree: Tree, county_admin: User, when: datetime, late: bool,
                                                        actual: int) -> None:
    # given: the year's standings held before the report is sent
    _drafted(county_admin)
    standings.ensure_year(YEAR)
    # when
    version = _submit(county_admin, when)
    # then: the version, the kept standing, a fresh evaluation and the inbox agree
    assert version.late is late
    held = Standing.objects.get(year=YEAR, rule__code=RULE, org__code="K1")
    assert held.actual_centi == actual
    row = next(r for r in evaluate(year=YEAR, as_of=date(YEAR + 1, 2, 2), rule_codes=[RULE]).rows if r.subject == "K1")
    assert row.status == ("missed" if late else "met")
    [inbox_row] = [r for r in selectors.inbox(scope=whole_tree_scope(), parent=tree.city, year=YEAR,
                                              now=datetime(YEAR + 1, 2, 2, tzinfo=SHANGHAI)) if r.org.code == "K1"]
    assert (inbox_row.status, inbox_row.late) == ("submitted", late)


def test_the_report_rule_is_at_risk_only_in_january_and_explained(tree: Tree, county_admin: User) -> None:
    rows = {r.subject: r for r in evaluate(year=YEAR, as_of=date(YEAR, 11, 1), rule_codes=[RULE]).rows}
    assert (rows["K1"].status, rows["K1"].at_risk) == ("in_progress", False)
    rows = {r.subject: r for r in evaluate(year=YEAR, as_of=date(YEAR + 1, 1, 20), rule_codes=[RULE]).rows}
    assert (rows["K1"].status, rows["K1"].at_risk) == ("in_progress", True)
    assert "P" not in rows  # the province reports to no one
    _drafted(county_admin)
    _submit(county_admin, datetime(YEAR + 1, 1, 20, 10, tzinfo=SHANGHAI))
    from xuexi.norms.selectors import subject_compliance

    explained = subject_compliance(scope=whole_tree_scope(), subject=tree.county, year=YEAR, as_of=date(YEAR + 1, 2, 1))
    evidence = next(e for e in explained if e.row.rule == RULE).evidence
    assert [(e.counted, e.reason) for e in evidence] == [(True, "于 2026-01-20 10:00:00 首次报送")]


def test_the_inbox_lists_each_child_by_status(tree: Tree, county_admin: User, city_admin: User) -> None:
    _drafted(county_admin)
    before = selectors.inbox(scope=_scope(city_admin), parent=tree.city, year=YEAR,
                             now=datetime(YEAR + 1, 1, 10, tzinfo=SHANGHAI))
    assert [(r.org.code, r.status) for r in before] == [("K1", "draft"), ("K2", "not_started")]
    after = selectors.inbox(scope=_scope(city_admin), parent=tree.city, year=YEAR,
                            now=datetime(YEAR + 1, 2, 10, tzinfo=SHANGHAI))
    assert [(r.org.code, r.status) for r in after] == [("K1", "late"), ("K2", "late")]
    assert selectors.inbox_counts(after)["late"] == 2


def test_a_reviewer_decides_and_a_member_may_not_touch(tree: Tree, county_admin: User, reviewer: User,
                                                       member: User) -> None:
    _drafted(county_admin)
    _submit(county_admin, datetime(YEAR + 1, 1, 20, tzinfo=SHANGHAI))
    services.report_decide(actor=reviewer, scope=_scope(reviewer), org_code="K1", year=YEAR, accept=True)
    with pytest.raises(DomainError) as outside:
        services.report_draft(actor=member, scope=_scope(member), org_code="K1", year=YEAR)
    assert outside.value.kind == ErrorKind.NOT_FOUND
    with pytest.raises(DomainError, match="没有上级组织"):
        services.report_draft(actor=None, scope=whole_tree_scope(), org_code="P", year=YEAR)
    with pytest.raises(DomainError, match="年度 2099 无效"):
        services.report_draft(actor=None, scope=whole_tree_scope(), org_code="K1", year=2099)


def test_word_exports_read_back_and_the_compilation(tree: Tree, county_admin: User, city_admin: User) -> None:
    _drafted(county_admin)
    _submit(county_admin, datetime(YEAR + 1, 1, 20, tzinfo=SHANGHAI))
    name, data = exporting.report_export(actor=county_admin, scope=_scope(county_admin), org_code="K1", year=YEAR,
                                         version=1)
    assert name == "K1-2025年度学习总结和计划-第1版.docx"
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    headings = [t for t in texts if t[:2] in ("一、", "二、", "三、", "四、")]
    assert headings == ["一、基本情况", "二、主要做法和成效", "三、存在问题和不足", "四、下一年度学习计划"]
    assert "中共甲市委员会：" in texts
    _, compiled = exporting.compilation_export(actor=city_admin, scope=_scope(city_admin), org_code="C1", year=YEAR,
                                               file_format="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(compiled)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("组织编码", "组织名称", "报送情况")
    assert [(r[0], r[2]) for r in rows[1:]] == [("K1", "已报送"), ("K2", "逾期")]  # K2 never sent it
    _, document = exporting.compilation_export(actor=city_admin, scope=_scope(city_admin), org_code="C1",
                                               year=YEAR, file_format="docx")
    word = docx.Document(io.BytesIO(document))
    assert word.tables[0].rows[1].cells[0].text == "中共丙县委员会"
    assert AuditEvent.objects.filter(action="report_compilation_export").count() == 2


def test_pages_draft_edit_submit_and_review(tree: Tree, county_admin: User, city_admin: User) -> None:
    _record_year()
    county = signed_in_client(county_admin)
    url = f"/orgs/K1/reports/{YEAR}/"
    assert 'data-testid="draft"' in county.get(url).content.decode()
    assert county.post(url, {"action": "draft"}).status_code == 302
    page = county.get(url).content.decode()
    assert "共主办学习活动 2 次" in page
    form = {"basics": "基本情况。", "practices": "做法。", "problems": "问题。", "next_plan": "计划。"}
    assert county.post(url, {**form, "action": "submit"}).status_code == 302
    assert AnnualReport.objects.get(org__code="K1").state == ReportState.SUBMITTED
    city = signed_in_client(city_admin)
    inbox = city.get(f"/orgs/C1/reports/inbox/?year={YEAR}").content.decode()
    assert 'data-org="K1"' in inbox and "已报送" in inbox
    assert 'data-testid="review"' in city.get(url).content.decode()
    assert city.post(url, {"action": "return", "comments": "请补充。"}).status_code == 302
    assert "请补充。" in county.get(url).content.decode()
    assert county.get(f"/orgs/K1/reports/{YEAR}/export/?version=1")["Content-Type"] == exporting.DOCX
    assert county.get(f"/orgs/K1/reports/{YEAR}/versions/1/").status_code == 200


def test_the_api_walks_the_same_steps(tree: Tree, county_admin: User, city_admin: User) -> None:
    _record_year()

    def send(user: User, method: str, path: str, body: object | None = None) -> Any:
        _, secret = api_token_create(user=user, name="测试")
        return Client().generic(method, path, data="" if body is None else json.dumps(body),
                                content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert send(county_admin, "POST", f"/api/reports/K1/{YEAR}/draft").status_code == 201
    edited = send(county_admin, "PUT", f"/api/reports/K1/{YEAR}", {"practices": "做法。"})
    assert edited.json()["practices"] == "做法。"
    assert send(county_admin, "PUT", f"/api/reports/K1/{YEAR}", {"colour": "红"}).status_code == 422
    assert send(county_admin, "POST", f"/api/reports/K1/{YEAR}/submit").json()["state"] == "submitted"
    decided = send(city_admin, "POST", f"/api/reports/K1/{YEAR}/decision", {"accept": True})
    assert decided.json()["versions"][0]["decision"] == "accepted"
    inbox = send(city_admin, "GET", f"/api/reports/inbox?org=C1&year={YEAR}").json()
    assert [(i["org"], i["status"]) for i in inbox["items"]] == [("K1", "accepted"), ("K2", "late")]
    other = factories.make_user("k3_admin", admin_of=tree.other_county)
    assert send(other, "GET", f"/api/reports/K1/{YEAR}").status_code == 404


def test_the_command_line_drafts_submits_and_exports(tree: Tree, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    _record_year()
    assert main(["report", "draft", "--org", "K1", "--year", str(YEAR)]) == 0
    assert "一、基本情况" in capsys.readouterr().out
    assert main(["report", "submit", "--org", "K1", "--year", str(YEAR)]) == 0
    assert "第 1 版" in capsys.readouterr().out
    target = tmp_path / "k1.docx"
    assert main(["report", "export", "--org", "K1", "--year", str(YEAR), "--version", "1",
                 "--output", str(target)]) == 0
    assert docx.Document(str(target)).paragraphs
    assert main(["report", "export", "--org", "C1", "--year", str(YEAR), "--compile", "xlsx",
                 "--output", str(tmp_path / "c1.xlsx")]) == 0
    assert main(["report", "submit", "--org", "ZZ9", "--year", str(YEAR)]) == 1
    assert "组织编码 ZZ9 不存在" in capsys.readouterr().err


def test_the_report_and_the_compilation_are_official_documents_libreoffice_converts(
        tree: Tree, county_admin: User, city_admin: User, tmp_path: Path) -> None:
    # given: K1's first version and C1's compilation as Word
    _drafted(county_admin)
    _submit(county_admin, datetime(YEAR + 1, 1, 20, tzinfo=SHANGHAI))
    _, report = exporting.report_export(actor=None, scope=whole_tree_scope(), org_code="K1", year=YEAR, version=1)
    _, compiled = exporting.compilation_export(actor=None, scope=whole_tree_scope(), org_code="C1", year=YEAR,
                                               file_format="docx")
    # then: GB/T 9704's page and faces
    word = docx.Document(io.BytesIO(report))
    section = word.sections[0]
    assert [round(m.mm, 1) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                      section.right_margin)] == [37.0, 35.0, 28.0, 26.0]
    body = next(p for p in word.paragraphs if "共主办学习活动" in p.text)
    assert face(body)[:3] == ("仿宋_GB2312", "Times New Roman", 16.0)
    # and LibreOffice turns both into PDF
    for name, data in (("report", report), ("compiled", compiled)):
        (tmp_path / f"{name}.docx").write_bytes(data)
    done = subprocess.run(
        [libreoffice(), f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(tmp_path / "report.docx"), str(tmp_path / "compiled.docx")],
        capture_output=True, text=True, timeout=LIBREOFFICE_TIMEOUT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert all((tmp_path / f"{name}.pdf").read_bytes()[:5] == b"%PDF-" for name in ("report", "compiled"))


def test_the_inbox_reads_in_the_same_queries_however_many_children_sent(tree: Tree, county_admin: User) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = selectors.inbox(scope=whole_tree_scope(), parent=tree.city, year=YEAR,
                                   now=datetime(YEAR + 1, 1, 10, tzinfo=SHANGHAI))
            assert [row.versions for row in rows] == [r.report.versions.count() if r.report else 0 for r in rows]
        return len(captured) - len([r for r in rows if r.report])  # the check's own counts left out

    _drafted(county_admin)
    _submit(county_admin, datetime(YEAR + 1, 1, 5, tzinfo=SHANGHAI))
    one = queries()
    services.report_draft(actor=None, scope=whole_tree_scope(), org_code="K2", year=YEAR)
    services.report_submit(actor=None, scope=whole_tree_scope(), org_code="K2", year=YEAR,
                           now=datetime(YEAR + 1, 1, 6, tzinfo=SHANGHAI))
    assert queries() == one
