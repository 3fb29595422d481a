"""`xuexi outcome list` and `export`: an organization's outcomes and its subtree's, withdrawn ones marked."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import Tree
from tests.outcomes.world import THIS_YEAR, record
from xuexi.accounts.scope import whole_tree_scope
from xuexi.cli import main
from xuexi.outcomes import services


@pytest.fixture
def recorded(tree: Tree) -> None:
    record("C1", title="甲市调研报告")
    record("K1", kind="典型经验", title="丙县典型经验")
    withdrawn = record("K1", kind="内参", title="丙县撤回的内参")
    services.outcome_withdraw(actor=None, scope=whole_tree_scope(), number=withdrawn.number, reason="重复")
    record("K3", title="戊县调研报告")


def test_the_list_holds_the_subtrees_outcomes_with_the_withdrawn_marked(
        recorded: None, capsys: pytest.CaptureFixture[str]) -> None:
    # when
    status = main(["outcome", "list", "--org", "C1", "--format", "json"])
    # then
    out, _ = capsys.readouterr()
    rows = {r["title"]: r for r in json.loads(out)}
    assert status == 0
    assert sorted(rows) == ["丙县典型经验", "丙县撤回的内参", "甲市调研报告"]
    assert rows["丙县撤回的内参"]["withdrawn"] is True and rows["丙县典型经验"]["status"] == "recorded"
    assert rows["甲市调研报告"]["org"] == "C1" and rows["甲市调研报告"]["date"].startswith(str(THIS_YEAR))


def test_the_list_filters_by_kind_and_year_and_prints_a_table(
        recorded: None, capsys: pytest.CaptureFixture[str]) -> None:
    # when
    status = main(["outcome", "list", "--org", "K1", "--kind", "典型经验", "--year", str(THIS_YEAR),
                   "--format", "table"])
    # then
    out, _ = capsys.readouterr()
    assert status == 0
    assert "丙县典型经验\t" in out and "内参" not in out
    assert out.strip().endswith("共 1 项成果（中共丙县委员会及其下级组织），其中已撤回 0 项")


def test_wrong_input_is_named_in_chinese_with_exit_status_1(
        recorded: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # when
    unknown = main(["outcome", "list", "--org", "ZZ9"])
    bad_kind = main(["outcome", "list", "--org", "K1", "--kind", "论文"])
    not_xlsx = main(["outcome", "export", "--org", "K1", "--year", str(THIS_YEAR), "--output",
                     str(tmp_path / "out.csv")])
    # then
    _, err = capsys.readouterr()
    assert (unknown, bad_kind, not_xlsx) == (1, 1, 1)
    assert "组织编码 ZZ9 不存在" in err
    assert "--kind “论文”无效，应为调研报告、决策建议、内参、媒体报道、典型经验之一" in err
    assert f"--output “{tmp_path / 'out.csv'}”应为 .xlsx 文件" in err
    assert not (tmp_path / "out.csv").exists()


def test_the_export_writes_the_outcomes_and_the_years_counts(recorded: None, tmp_path: Path) -> None:
    # given
    target = tmp_path / "成果.xlsx"
    # when
    status = main(["outcome", "export", "--org", "C1", "--year", str(THIS_YEAR), "--output", str(target)])
    # then
    assert status == 0
    book = openpyxl.load_workbook(io.BytesIO(target.read_bytes()), read_only=True)
    assert book.sheetnames == ["学习成果", f"{THIS_YEAR}年分类统计", f"{THIS_YEAR}年典型经验"]
    listed = list(book["学习成果"].iter_rows(min_row=2, values_only=True))
    assert len(listed) == 3
    counts = dict(book[f"{THIS_YEAR}年分类统计"].iter_rows(min_row=2, values_only=True))
    assert (counts["调研报告"], counts["内参"], counts["典型经验"]) == (1, 0, 1)  # the withdrawn 内参 not counted
    assert dict(book[f"{THIS_YEAR}年典型经验"].iter_rows(min_row=2, values_only=True))["已登记"] == 1
