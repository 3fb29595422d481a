from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Tree
from xuexi.cli import main
from xuexi.orgs.models import Organization


def test_import_reports_each_bad_cell_and_exits_1(tree: Tree, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "orgs.csv"
    path.write_bytes("组织编码,组织名称,上级组织编码,组织层级,组织类型,单位类别\r\nT9,九镇,K1,乡级,党委,农村\r\n"
                     "T8,八镇,K1,镇级,党委,农村\r\n".encode("gb18030"))
    assert main(["import", "orgs", str(path)]) == 1
    err = capsys.readouterr().err
    assert "第 3 行“组织层级”列：值“镇级”" in err
    assert not Organization.objects.filter(code="T9").exists()


def test_import_succeeds_and_prints_counts(tree: Tree, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text("组织编码,组织名称,上级组织编码,组织层级,组织类型,单位类别\nT9,九镇,K1,乡级,党委,农村\n",
                    encoding="utf-8")
    assert main(["import", "orgs", str(path)]) == 0
    assert "新增 1" in capsys.readouterr().out


def test_export_and_template(tree: Tree, tmp_path: Path) -> None:
    assert main(["export", "members", str(tmp_path / "m.csv")]) == 0
    assert "王党员" in (tmp_path / "m.csv").read_text(encoding="utf-8-sig")
    assert main(["export", "activities", str(tmp_path / "t.xlsx"), "--template"]) == 0
    assert (tmp_path / "t.xlsx").stat().st_size > 0


def test_missing_file_exits_1(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "members", "/nonexistent/file.xlsx"]) == 1
    assert "找不到文件" in capsys.readouterr().err
