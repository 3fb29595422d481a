"""`xuexi exam results` and `xuexi exam questions import|export` from the command line."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from tests.conftest import Tree
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import whole_tree_scope
from xuexi.cli import main
from xuexi.exams import attempts, papers, services, sheets
from xuexi.exams.models import Question
from xuexi.exams.services import QuestionInput

GOOD: list[tuple[str, ...]] = [
    ("Q1", "科学发展观", "单选", "第一要义？", "发展", "以人为本", "", "", "", "", "", "", "A", "易", "", "K1", "是"),
    ("Q2", "岗位专业知识", "判断", "对吗？", "", "", "", "", "", "", "", "", "对", "难", "", "T1", "否"),
]


@pytest.fixture
def taken(tree: Tree, member: User) -> None:
    # EX1 (K1, pass mark 60 of 100): the member hands in one empty sheet, then one all right
    scope = whole_tree_scope()
    services.question_create(actor=None, scope=scope, code="J1", publisher_code="P",
                             data=QuestionInput(area="岗位专业知识", kind="判断", stem="判断一", answer="对",
                                                difficulty="易"))
    papers.paper_create(actor=None, scope=scope, code="PAPER1", title="测试卷", publisher_code="P",
                        items=[papers.FixedItem("J1", 100)])
    now = timezone.now()
    papers.exam_create(actor=None, scope=scope, code="EX1", org_code="K1",
                       data=papers.ExamInput(title="丙县测试", paper="PAPER1", opens_at=now - timedelta(hours=1),
                                             closes_at=now + timedelta(days=1), duration_minutes=30, pass_mark=60,
                                             max_attempts=2))
    for answer in ("", "对"):
        attempt = attempts.attempt_start(actor=member, person=tree.member_person, exam_code="EX1")
        attempts.attempt_submit(actor=member, person=tree.member_person, attempt_id=attempt.pk,
                                responses={1: answer})


def _xlsx(path: Path, rows: list[tuple[str, ...]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(sheets.HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_the_results_list_each_taker_with_the_best_score(taken: None, capsys: pytest.CaptureFixture[str]) -> None:
    # when
    status = main(["exam", "results", "--exam", "EX1", "--format", "json"])
    # then
    out, _ = capsys.readouterr()
    assert status == 0
    assert json.loads(out) == [{"person": "MEM1", "person_name": "王党员", "org": "B1", "attempts": 2, "best": 100,
                                "total": 100, "passed": True}]


def test_the_results_as_a_table_and_an_xlsx(taken: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # when
    table = main(["exam", "results", "--exam", "EX1", "--format", "table"])
    out, _ = capsys.readouterr()
    xlsx = main(["exam", "results", "--exam", "EX1", "--format", "xlsx", "--output", str(tmp_path / "成绩.xlsx")])
    # then
    assert (table, xlsx) == (0, 0)
    assert "MEM1\t王党员\tB1\t2\t100\t100\t是" in out
    assert out.strip().endswith("丙县测试（EX1）：交卷 1 人，及格 1 人（及格分 60）")
    book = openpyxl.load_workbook(tmp_path / "成绩.xlsx", read_only=True)
    assert list(book["考试成绩"].iter_rows(values_only=True)) == [
        ("人员编号", "姓名", "组织", "交卷次数", "最好成绩", "满分", "及格"),
        ("MEM1", "王党员", "B1", 2, 100, 100, "是")]


def test_an_unknown_exam_or_publisher_is_named_in_chinese_with_exit_status_1(
        taken: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # when
    exam = main(["exam", "results", "--exam", "EX9"])
    publisher = main(["exam", "questions", "import", str(_xlsx(tmp_path / "题库.xlsx", GOOD)), "--publisher", "ZZ9"])
    # then
    _, err = capsys.readouterr()
    assert (exam, publisher) == (1, 1)
    assert "考试编码 EX9 不存在" in err and "组织编码 ZZ9 不存在" in err
    assert not Question.objects.filter(code__in=["Q1", "Q2"]).exists()


def test_the_import_stores_a_good_file_and_the_export_reads_back(
        tree: Tree, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # when
    imported = main(["exam", "questions", "import", str(_xlsx(tmp_path / "题库.xlsx", GOOD)), "--publisher", "K1"])
    exported = main(["exam", "questions", "export", "--output", str(tmp_path / "导出.xlsx"), "--publisher", "T1"])
    # then
    out, _ = capsys.readouterr()
    assert (imported, exported) == (0, 0)
    assert "已导入 2 道试题：新增 2，更新 0，其余未变。" in out
    assert AuditEvent.objects.filter(action="question_import", actor_id=None, outcome="success").count() == 1
    rows = list(openpyxl.load_workbook(io.BytesIO((tmp_path / "导出.xlsx").read_bytes())).active.iter_rows(
        min_row=2, values_only=True))  # type: ignore[union-attr]
    assert [r[0] for r in rows] == ["Q2"]


def test_one_bad_cell_refuses_the_whole_file_naming_row_and_column(
        tree: Tree, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # given: the second row's difficulty is not one of 易、中、难; the first row is good
    bad = [GOOD[0], (*GOOD[1][:13], "极难", *GOOD[1][14:])]
    # when
    status = main(["exam", "questions", "import", str(_xlsx(tmp_path / "题库.xlsx", bad)), "--publisher", "K1"])
    outside = main(["exam", "questions", "import", str(_xlsx(tmp_path / "外.xlsx", GOOD)), "--publisher", "T1"])
    # then
    out, err = capsys.readouterr()
    assert (status, outside, out) == (1, 1, "")
    assert "第 3 行“难度”列：值“极难”" in err
    assert "第 2 行“发布组织编码”列：值“K1”" in err
    assert "共 1 处错误，未导入任何试题。" in err
    assert not Question.objects.exists()
