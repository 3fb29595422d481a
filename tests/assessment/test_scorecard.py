"""The scorecards against the hand-computed world of world.py, their exports read back, and the CLI."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from tests.assessment.world import YEAR
from tests.conftest import Tree
from xuexi.accounts.models import AuditEvent
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.assessment import scorecard, services
from xuexi.cli import main
from xuexi.errors import DomainError
from xuexi.orgs.models import Organization


def _org(code: str) -> Organization:
    return Organization.objects.get(code=code)


def test_the_cities_are_ranked_with_each_component_raw_and_weighted(scored: Tree) -> None:
    # when
    cards = scorecard.org_scorecards(scope=whole_tree_scope(), org=_org("P"), year=YEAR)
    # then: 甲市 (C1): 2 of its 20 standings met (K1's training, CAD1's 110 hours) → 10 × 40%;
    # (80 + 90 + 50) / 3 = 73.33 × 20%; reports 优秀, 良好, 一般 → 85 × 20%; 优秀, 合格 → 92.5 × 20%
    assert [(c.rank, c.code, c.total) for c in cards] == [(1, "C1", 54.17), (2, "C2", 0.0)]
    c1 = cards[0]
    assert [(p.key, p.points, p.weighted) for p in c1.components] == [
        ("norms", 10.0, 4.0), ("exams", 73.33, 14.67), ("reports", 85.0, 17.0), ("review", 92.5, 18.5)]
    assert c1.component("norms").raw == "达标 2 / 应达标 20（10.0%）"
    # 乙州 (C2): nothing met, no exam, no report; no review held, so that weight is left out
    c2 = cards[1]
    assert c2.component("review").points is None and c2.applied_weight == 80


def test_a_leading_cadre_is_scored_on_their_own_standings_exams_report_and_grade(scored: Tree) -> None:
    # when
    cards = scorecard.cadre_scorecards(scope=whole_tree_scope(), org=_org("C1"), year=YEAR)
    # then: only 李书记 leads; 1 of 2 rules met → 50; exams (80 + 90) / 2; 良好 85; 合格 85
    assert [(c.code, c.total) for c in cards] == [("CAD1", 71.0)]
    assert [p.points for p in cards[0].components] == [50.0, 85.0, 85.0, 85.0]


def test_another_years_weights_default_and_change_nothing_counted(scored: Tree) -> None:
    # when
    weights = scorecard.weights_for(YEAR + 1)
    # then
    assert weights.is_default and (weights.norms, weights.exams, weights.reports, weights.review) == (40, 20, 20, 20)


def test_the_appraisal_export_reads_back_with_both_sheets_and_is_audited(scored: Tree) -> None:
    # when
    filename, data = services.scorecard_export(actor=None, scope=whole_tree_scope(), org_code="P", year=YEAR,
                                               kind="appraisal")
    # then
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert filename == f"领导班子和领导干部综合考核评价-P-{YEAR}.xlsx"
    assert book.sheetnames == ["领导班子", "领导干部"]
    orgs = list(book["领导班子"].iter_rows(values_only=True))
    assert orgs[0][:4] == ("名次", "组织编码", "组织名称", "制度落实")
    assert orgs[1][0:3] == (1, "C1", "中共甲市委员会") and orgs[1][-1] == 54.17
    cadres = list(book["领导干部"].iter_rows(values_only=True))
    assert cadres[1][:3] == (1, "CAD1", "李书记") and cadres[1][-1] == 71.0
    assert AuditEvent.objects.filter(action="export", object_type="scorecard", object_id="P").exists()


def test_an_unknown_export_kind_is_refused_in_chinese(scored: Tree) -> None:
    with pytest.raises(DomainError) as refused:
        services.scorecard_export(actor=None, scope=whole_tree_scope(), org_code="P", year=YEAR, kind="all")
    assert "导出类别“all”无效" in refused.value.detail


def test_a_county_admin_gets_404_for_the_scorecard_of_another_city(scored: Tree) -> None:
    county = Scope(admin_paths=(_org("K1").path,))
    with pytest.raises(DomainError) as refused:
        services.scorecard_export(actor=None, scope=county, org_code="C2", year=YEAR, kind="best")
    assert refused.value.kind == "not_found"


def test_the_command_line_writes_the_cadre_scorecard(scored: Tree, tmp_path: Path) -> None:
    # given
    target = tmp_path / "cadres.xlsx"
    # when
    status = main(["assessment", "scorecard", "--org", "C1", "--year", str(YEAR), "--cadres", "--output",
                   str(target)])
    # then
    assert status == 0
    rows = list(openpyxl.load_workbook(target)["领导干部"].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["CAD1"]
    assert main(["assessment", "scorecard", "--org", "NOPE", "--year", str(YEAR)]) == 1
