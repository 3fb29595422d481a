"""Importing the question bank: every bad cell named, nothing stored on an error, the same file twice a no-op."""

from __future__ import annotations

from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.exams import sheets
from xuexi.exams.models import Question
from xuexi.exchange.files import read_table, write_csv
from xuexi.exchange.importing import ImportResult

GOOD = [
    ("Q1", "科学发展观", "单选", "第一要义？", "发展", "以人为本", "", "", "", "", "", "", "A", "易", "", "K1", "是"),
    ("Q2", "岗位专业知识", "多选", "包括？", "甲", "乙", "丙", "", "", "", "", "", "A,C", "中", "", "T1", ""),
    ("Q3", "中央和省委决策部署", "判断", "对吗？", "", "", "", "", "", "", "", "", "√", "难", "", "K1", "否"),
    ("Q4", "吉林发展振兴经验", "填空", "省会是__", *[""] * 8, "长春｜长春市", "易", "", "K1", "是"),
]


def _file(rows: list[tuple[str, ...]]) -> bytes:
    return write_csv(sheets.HEADERS, rows)


def _import(user: User, rows: list[tuple[str, ...]]) -> ImportResult:
    return sheets.import_questions(actor=user, scope=Scope.for_user(user), data=_file(rows), filename="题库.csv")


def test_a_good_file_is_stored_and_the_same_file_again_changes_nothing(county_admin: User) -> None:
    # when
    first = _import(county_admin, GOOD)
    again = _import(county_admin, GOOD)
    # then
    assert (first.stored, first.created, first.updated) == (True, 4, 0)
    assert (again.stored, again.created, again.updated) == (True, 0, 0)
    assert dict(Question.objects.values_list("code", "answer")) == {"Q1": "A", "Q2": "AC", "Q3": "对",
                                                                     "Q4": "长春|长春市"}


def test_one_bad_cell_names_row_column_value_and_expected_and_nothing_is_stored(county_admin: User) -> None:
    # given
    rows = [*GOOD, ("Q5", "科学发展观", "单选", "？", "甲", "乙", "", "", "", "", "", "", "C", "易", "", "K3", "也许")]
    # when
    result = _import(county_admin, rows)
    # then
    assert not result.stored
    assert not Question.objects.exists()
    assert sorted(str(e) for e in result.errors) == [
        "第 6 行“发布组织编码”列：值“K3”，应为您管理范围内的组织编码",
        "第 6 行“启用”列：值“也许”，应为是 或 否（也可写 true/false、1/0、Y/N）",
        "第 6 行“答案”列：值“C”，应为选项字母 A、B中的一个",
    ]


def test_a_duplicate_code_and_a_missing_header_are_named(county_admin: User) -> None:
    # when
    duplicate = _import(county_admin, [GOOD[0], GOOD[0]])
    headerless = sheets.import_questions(actor=county_admin, scope=Scope.for_user(county_admin),
                                         data=write_csv(["试题编码", "题干"], [("Q1", "？")]))
    # then
    assert [str(e) for e in duplicate.errors] == ["第 3 行“试题编码”列：值“Q1”，应为文件中唯一的编码（与第 2 行重复）"]
    assert "第 1 行“学习内容”列" in str(headerless.errors[0])
    assert not Question.objects.exists()


def test_a_code_held_outside_the_scope_is_refused(county_admin: User, other_county_admin: User) -> None:
    # given
    _import(county_admin, GOOD)
    # when
    result = _import(other_county_admin, [(*GOOD[0][:15], "K3", "是")])
    # then
    assert [e.column for e in result.errors] == ["试题编码"]
    assert Question.objects.get(code="Q1").publisher.code == "K1"


def test_the_export_imports_back_unchanged(county_admin: User) -> None:
    # given
    _import(county_admin, GOOD)
    scope = Scope.for_user(county_admin)
    # when
    exported = sheets.export(actor=county_admin, scope=scope, file_format="xlsx")
    again = sheets.import_questions(actor=county_admin, scope=scope, data=exported, filename="题库.xlsx")
    # then
    assert read_table(exported).headers == list(sheets.HEADERS)
    assert (again.ok, again.created, again.updated) == (True, 0, 0)


def test_the_template_reads_as_a_valid_file_for_the_province(province_admin: User) -> None:
    result = sheets.import_questions(actor=province_admin, scope=Scope.for_user(province_admin),
                                     data=sheets.template(), commit=False)
    assert (result.ok, result.rows, result.stored) == (True, 4, False)
