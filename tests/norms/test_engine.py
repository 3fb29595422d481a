"""The engine against spec/norms.md, edge by edge: periods, credit, statuses, versions, exemptions."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from decimal import Decimal
from typing import Any

from tests.conftest import Tree
from xuexi.accounts.scope import whole_tree_scope
from xuexi.learning import services
from xuexi.learning.services import ActivityInput, AttendanceInput
from xuexi.norms.engine import Row, evaluate
from xuexi.norms.models import Exemption, Rule, RuleVersion

CENTRAL = "central-group-study-quarterly"
OFF_JOB = "leader-off-job-training-110h"
RESEARCH = "city-county-leader-research-60d"


def _activity(number: str, host: str, start: date, *, kind: str = "中心组集体学习", end: date | None = None,
              hours: Decimal | None = None, off_job: bool = False, **extra: Any) -> None:
    services.activity_save(actor=None, scope=whole_tree_scope(), data=ActivityInput(
        number=number, kind=kind, host_code=host, start_date=start, end_date=end, topic=f"活动{number}", hours=hours,
        training_type="理论培训" if kind == "培训" else "", off_job=off_job, **extra))


def _attend(number: str, *entries: AttendanceInput) -> None:
    services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number=number, entries=entries)


def _rows(rule: str, year: int, as_of: date, **kwargs: Any) -> dict[tuple[str, str], Row]:
    evaluation = evaluate(year=year, as_of=as_of, rule_codes=[rule], **kwargs)
    return {(row.subject, row.period): row for row in evaluation.rows}


def _new_version(rule: str, effective_from: date, **changes: Any) -> None:
    current = RuleVersion.objects.filter(rule__code=rule).order_by("-effective_from").first()
    assert current is not None
    current.pk = None
    current.effective_from = effective_from
    for name, value in changes.items():
        setattr(current, name, value)
    current.save()


def test_the_six_rules_are_seeded_with_their_codes(db: None) -> None:
    assert set(Rule.objects.values_list("code", flat=True)) == {
        CENTRAL, "member-training-annual", OFF_JOB, "provincial-leader-research-30d", RESEARCH,
        "annual-report-jan31"}


def test_an_activity_counts_in_the_quarter_of_its_start_date(tree: Tree) -> None:
    # given: K1's central group meets from 31 March to 2 April; T1, below it, in May
    _activity("Q1", "K1", date(2025, 3, 31), end=date(2025, 4, 2))
    _activity("T5", "T1", date(2025, 5, 6))
    # when
    rows = _rows(CENTRAL, 2025, date(2026, 1, 10))
    # then: Q1 is met, Q2 missed (a sub-organization's study does not count for K1)
    assert rows[("K1", "2025-Q1")].status == "met"
    assert rows[("K1", "2025-Q2")].status == "missed"
    assert rows[("K1", "2025-Q2")].actual == 0
    # and only organizations with a central group are subjects
    assert ("T1", "2025-Q1") not in rows and ("P", "2025-Q1") in rows


def test_a_quarter_not_yet_over_is_in_progress_and_a_future_one_not_at_risk(tree: Tree) -> None:
    rows = _rows(CENTRAL, 2025, date(2025, 5, 15))
    assert rows[("K1", "2025-Q1")].status == "missed"
    assert (rows[("K1", "2025-Q2")].status, rows[("K1", "2025-Q2")].at_risk) == ("in_progress", True)
    assert (rows[("K1", "2025-Q3")].status, rows[("K1", "2025-Q3")].at_risk) == ("in_progress", False)


def test_only_present_off_job_training_hours_count_with_row_overrides(tree: Tree) -> None:
    # given: CAD1 (县处级, 县市区领导) at three off-job trainings and one on the job
    _activity("F1", "K1", date(2025, 3, 1), kind="培训", off_job=True, hours=Decimal(80), end=date(2025, 3, 10))
    _activity("F2", "K1", date(2025, 4, 1), kind="培训", off_job=True, hours=Decimal(40), end=date(2025, 4, 5))
    _activity("F3", "K1", date(2025, 5, 1), kind="培训", off_job=True, hours=Decimal(30), end=date(2025, 5, 5))
    _activity("F4", "K1", date(2025, 6, 1), kind="培训", hours=Decimal(50), end=date(2025, 6, 5))
    _attend("F1", AttendanceInput("CAD1"))
    _attend("F2", AttendanceInput("CAD1", hours=Decimal("12.5")))  # left early: the row's hours count
    _attend("F3", AttendanceInput("CAD1", status="请假"))
    _attend("F4", AttendanceInput("CAD1"))
    # when
    row = _rows(OFF_JOB, 2025, date(2026, 1, 5))[("CAD1", "2025")]
    # then: 80 + 12.5, not the leave nor the on-the-job training
    assert (row.actual, row.required, row.status) == (Decimal("92.5"), Decimal(110), "missed")
    # and members without a leading post are not subjects
    assert set(_rows(OFF_JOB, 2025, date(2026, 1, 5))) == {("CAD1", "2025")}


def test_pace_flags_a_leader_behind_mid_year(tree: Tree) -> None:
    _activity("F1", "K1", date(2025, 2, 1), kind="培训", off_job=True, hours=Decimal(50), end=date(2025, 2, 5))
    _attend("F1", AttendanceInput("CAD1"))
    # 1 July is day 182 of 365: pace asks for about 54.5 hours by then
    assert _rows(OFF_JOB, 2025, date(2025, 7, 1))[("CAD1", "2025")].at_risk is True
    assert _rows(OFF_JOB, 2025, date(2025, 6, 1))[("CAD1", "2025")].at_risk is False


def test_research_days_are_the_row_days_or_the_activity_length(tree: Tree) -> None:
    _activity("R1", "K1", date(2025, 3, 1), kind="调查研究", end=date(2025, 3, 10))
    _activity("R2", "K1", date(2025, 4, 1), kind="调查研究", end=date(2025, 4, 30))
    _attend("R1", AttendanceInput("CAD1"))
    _attend("R2", AttendanceInput("CAD1", days=Decimal(20)))
    row = _rows(RESEARCH, 2025, date(2025, 12, 31))[("CAD1", "2025")]
    assert (row.actual, row.status) == (Decimal(30), "in_progress")


def test_an_exemption_turns_the_row_exempt(tree: Tree) -> None:
    Exemption.objects.create(rule=Rule.objects.get(code=OFF_JOB), person=tree.cadre_person, period="2025",
                             reason="年中新任", granted_by="province_admin")
    assert _rows(OFF_JOB, 2025, date(2026, 2, 1))[("CAD1", "2025")].status == "exempt"
    assert _rows(OFF_JOB, 2024, date(2026, 2, 1))[("CAD1", "2024")].status == "missed"


def test_a_rule_switched_off_binds_from_its_date_and_a_past_year_keeps_its_rules(tree: Tree) -> None:
    _new_version(OFF_JOB, date(2025, 1, 1), enabled=False)
    assert _rows(OFF_JOB, 2025, date(2026, 2, 1)) == {}
    assert _rows(OFF_JOB, 2024, date(2026, 2, 1))[("CAD1", "2024")].required == 110


def test_a_threshold_changed_mid_year_binds_from_the_next_period(tree: Tree) -> None:
    _new_version(CENTRAL, date(2025, 7, 1), required=Decimal(2))
    _activity("Q3", "K1", date(2025, 8, 1))
    rows = _rows(CENTRAL, 2025, date(2026, 1, 5))
    assert [rows[("K1", f"2025-Q{q}")].required for q in (1, 2, 3, 4)] == [1, 1, 2, 2]
    assert rows[("K1", "2025-Q3")].status == "missed"


def test_a_multi_year_window_sums_its_years(tree: Tree) -> None:
    # given: a province rule of 550 hours of training over five years for county-level leaders
    rule = Rule.objects.create(code="cadre-training-550h-5y")
    RuleVersion.objects.create(rule=rule, effective_from=date(2020, 1, 1), name="五年累计550学时",
                               source="2023年干部教育培训工作条例", subject_type="person", metric="hours",
                               kinds=["培训"], person_ranks=["县处级"],
                               period="window", window_years=5, required=Decimal(550))
    for year in (2021, 2023, 2025):
        _activity(f"W{year}", "K1", date(year, 5, 1), kind="培训", hours=Decimal(200), end=date(year, 5, 20))
        _attend(f"W{year}", AttendanceInput("CAD1"))
    _activity("W2020", "K1", date(2020, 5, 1), kind="培训", hours=Decimal(200), end=date(2020, 5, 20))
    _attend("W2020", AttendanceInput("CAD1"))
    # when
    row = _rows("cadre-training-550h-5y", 2025, date(2026, 1, 5))[("CAD1", "2021-2025")]
    # then: 2021, 2023 and 2025 count; 2020 is outside the window
    assert (row.actual, row.status) == (Decimal(600), "met")


def test_a_lower_levels_rule_binds_its_subtree_only(tree: Tree) -> None:
    rule = Rule.objects.create(code="k1-branch-lectures", owner=tree.county)
    RuleVersion.objects.create(rule=rule, effective_from=date(2020, 1, 1), name="支部每季度讲党课",
                               source="丙县县委要求", subject_type="org", metric="hosted", kinds=["讲党课"],
                               org_levels=["基层"],
                               period="quarter", required=Decimal(1))
    rows = _rows("k1-branch-lectures", 2025, date(2026, 1, 5))
    assert {subject for subject, _ in rows} == {"B1"}


def test_evaluation_is_limited_to_the_subtree_asked_for(tree: Tree) -> None:
    rows = _rows(CENTRAL, 2025, date(2026, 1, 5), under=tree.county)
    assert {subject for subject, _ in rows} == {"K1"}


def test_the_report_rule_binds_every_organization_with_a_parent(tree: Tree) -> None:
    # (the reports themselves: tests/reports)
    evaluation = evaluate(year=2025, as_of=date(2026, 2, 1), rule_codes=["annual-report-jan31"])
    assert evaluation.skipped == []
    assert {row.subject for row in evaluation.rows} == {"C1", "K1", "T1", "B1", "K2", "C2", "K3"}
    assert {(row.status, row.deadline) for row in evaluation.rows} == {("missed", date(2026, 1, 31))}


def test_the_command_writes_json_rows_and_refuses_unknown_codes(tree: Tree, tmp_path: Any, settings: Any) -> None:
    from xuexi.cli import main

    _activity("Q1", "K1", date(2025, 2, 1))
    out = tmp_path / "rows.json"
    assert main(["compliance", "--year", "2025", "--org", "K1", "--rule", CENTRAL, "--as-of", "2026-01-05",
                 "--format", "json", "--output", str(out)]) == 0
    rows = json.loads(out.read_text())
    assert rows[0] == {"rule": CENTRAL, "subject_type": "org", "subject": "K1", "subject_name": "中共丙县委员会",
                       "org": "K1", "period": "2025-Q1", "deadline": "2025-03-31", "required": 1, "actual": 1,
                       "status": "met", "at_risk": False}
    assert [r["status"] for r in rows] == ["met", "missed", "missed", "missed"]
    assert main(["compliance", "--year", "2025", "--org", "NOPE", "--rule", "no-such-rule"]) == 1


def test_the_command_exits_2_on_wrong_use() -> None:
    completed = subprocess.run([".venv/bin/xuexi", "compliance"], capture_output=True, text=True, check=False)
    assert completed.returncode == 2
