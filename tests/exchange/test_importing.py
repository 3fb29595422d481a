from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from tests.conftest import Tree
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.exchange.exporting import export, template
from xuexi.exchange.importing import import_file
from xuexi.learning.models import Activity, Attendance
from xuexi.orgs.models import Organization
from xuexi.people.models import Person


def xlsx(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


ORG_HEADERS = ["组织编码", "组织名称", "上级组织编码", "组织层级", "组织类型", "单位类别", "设有中心组"]


def test_orgs_with_references_in_either_order(tree: Tree) -> None:
    # given: the child comes before its parent in the file
    data = xlsx(ORG_HEADERS, [["V2", "二村党支部", "T9", "基层", "党支部", "农村", "否"],
                              ["T9", "九镇党委", "K1", "乡级", "党委", "农村", "是"]])
    # when
    result = import_file(actor=None, scope=whole_tree_scope(), table="orgs", data=data, filename="orgs.xlsx")
    # then
    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 0)
    child = Organization.objects.get(code="V2")
    assert child.path.startswith(Organization.objects.get(code="T9").path)
    assert Organization.objects.get(code="T9").path.startswith(tree.county.path)


def test_same_file_twice_changes_nothing(tree: Tree) -> None:
    data = xlsx(ORG_HEADERS, [["T9", "九镇党委", "K1", "乡级", "党委", "农村", "是"]])
    import_file(actor=None, scope=whole_tree_scope(), table="orgs", data=data)
    again = import_file(actor=None, scope=whole_tree_scope(), table="orgs", data=data)
    assert (again.created, again.updated) == (0, 0)
    assert Organization.objects.filter(code="T9").count() == 1


def test_one_bad_row_stores_nothing_and_every_bad_cell_is_named(tree: Tree) -> None:
    data = xlsx(ORG_HEADERS, [["T9", "九镇党委", "K1", "乡级", "党委", "农村", "是"],
                              ["T8", "", "K1", "村级", "党委", "农村", "也许"],
                              ["T7", "七镇", "NOPE", "乡级", "党委", "农村", ""]])
    result = import_file(actor=None, scope=whole_tree_scope(), table="orgs", data=data)
    assert not result.stored
    assert not Organization.objects.filter(code__in=["T9", "T8", "T7"]).exists()
    messages = [str(e) for e in result.errors]
    assert any(m.startswith("第 3 行“组织名称”列") for m in messages)
    assert any(m.startswith("第 3 行“组织层级”列") and "村级" in m and "省级" in m for m in messages)
    assert any(m.startswith("第 3 行“设有中心组”列") and "也许" in m for m in messages)
    assert any(m.startswith("第 4 行“上级组织编码”列") and "NOPE" in m for m in messages)
    assert AuditEvent.objects.filter(action="import", outcome="failure").count() == 1


def test_unknown_column_is_refused(tree: Tree) -> None:
    data = xlsx([*ORG_HEADERS, "备注"], [["T9", "九镇", "K1", "乡级", "党委", "农村", "否", "x"]])
    result = import_file(actor=None, scope=whole_tree_scope(), table="orgs", data=data)
    assert str(result.errors[0]).startswith("第 1 行“备注”列")


def test_english_keys_are_accepted(tree: Tree) -> None:
    data = csv_bytes("code,name,parent_code,level,kind,sector\nT9,九镇,K1,乡级,党委,农村\n")
    assert import_file(actor=None, scope=whole_tree_scope(), table="orgs", data=data, filename="o.csv").ok


def test_cycle_in_file_is_refused(tree: Tree) -> None:
    data = xlsx(ORG_HEADERS, [["K1", "中共丙县委员会", "B1", "县级", "党委", "党政机关", "是"]])
    result = import_file(actor=None, scope=whole_tree_scope(), table="orgs", data=data)
    assert "循环" in str(result.errors[0])


def test_rows_outside_the_uploaders_scope_are_named(tree: Tree, county_admin: User) -> None:
    data = xlsx(ORG_HEADERS, [["T9", "九镇", "K1", "乡级", "党委", "农村", "否"],
                              ["T8", "八镇", "K3", "乡级", "党委", "农村", "否"]])
    result = import_file(actor=county_admin, scope=Scope.for_user(county_admin), table="orgs", data=data)
    assert [e.row for e in result.errors] == [3]
    assert not Organization.objects.filter(code="T9").exists()


MEMBER_CSV = (
    "人员编号,姓名,性别,所属组织编码,职级,领导职务,关注群体,身份证号,手机号,中心组成员\n"
    "N1,刘一,男,B1,无,无,离退休；流动党员,11010519491231002X,13800001111,否\n"
    "N2,陈二,女,B1,,,,,,\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_members_from_csv_in_each_encoding(tree: Tree, encoding: str) -> None:
    result = import_file(actor=None, scope=whole_tree_scope(), table="members",
                         data=csv_bytes(MEMBER_CSV, encoding), filename="members.csv")
    assert result.ok, result.errors
    first = Person.objects.get(number="N1")
    assert (first.name, first.id_card_masked, first.phone_masked) == ("刘一", "110105********002X", "138****1111")
    assert sorted(first.group_rows.values_list("group", flat=True)) == ["流动党员", "离退休"]
    assert Person.objects.get(number="N2").rank == "无"


def test_blank_optional_cells_keep_stored_values(tree: Tree) -> None:
    import_file(actor=None, scope=whole_tree_scope(), table="members", data=csv_bytes(MEMBER_CSV))
    blank = csv_bytes("人员编号,姓名,所属组织编码,职级,身份证号\nN1,刘一,B1,,\n")
    assert import_file(actor=None, scope=whole_tree_scope(), table="members", data=blank).ok
    assert Person.objects.get(number="N1").id_card_masked == "110105********002X"


def test_member_with_bad_id_card_and_duplicate_number(tree: Tree) -> None:
    data = csv_bytes("人员编号,姓名,所属组织编码,身份证号\nN1,刘一,B1,110105194912310021\nN1,刘一,B1,\n")
    result = import_file(actor=None, scope=whole_tree_scope(), table="members", data=data)
    messages = [str(e) for e in result.errors]
    assert any("第 2 行“身份证号”列" in m and "校验位" in m for m in messages)
    assert any("第 3 行“人员编号”列" in m and "第 2 行重复" in m for m in messages)
    assert not Person.objects.filter(number="N1").exists()


ACTIVITY_HEADERS = ["活动编号", "活动类型", "主办组织编码", "开始日期", "结束日期", "学时", "主题", "学习内容",
                    "培训类别", "是否脱产", "主讲人", "主讲人编号", "地点"]


def test_activities_and_attendance(tree: Tree) -> None:
    # given
    activities = xlsx(ACTIVITY_HEADERS, [
        ["H1", "培训", "K1", date(2025, 3, 3), "2025/3/7", 40, "干部培训班", "中国特色社会主义理论体系、科学发展观",
         "理论培训", "是", "", "", "县委党校"],
        ["H2", "讲党课", "K1", "2025年4月1日", None, None, "专题党课", None, None, None, None, "CAD1", None],
    ])
    attendance = csv_bytes("活动编号,人员编号,出勤,学时,天数\nH1,CAD1,出席,,\nH1,MEM1,请假,,\nH2,MEM1,,2,\n")
    # when
    first = import_file(actor=None, scope=whole_tree_scope(), table="activities", data=activities)
    second = import_file(actor=None, scope=whole_tree_scope(), table="attendance", data=attendance)
    # then
    assert first.ok and second.ok, (first.errors, second.errors)
    training = Activity.objects.get(number="H1")
    assert (training.end_date, training.hours, training.off_job) == (date(2025, 3, 7), Decimal(40), True)
    assert sorted(training.area_rows.values_list("area", flat=True)) == ["中国特色社会主义理论体系", "科学发展观"]
    assert Activity.objects.get(number="H2").speaker == "李书记"
    assert Attendance.objects.get(activity__number="H2", person__number="MEM1").hours == Decimal(2)
    assert second.created == 3
    assert import_file(actor=None, scope=whole_tree_scope(), table="attendance", data=attendance).created == 0


def test_activity_rules_are_checked_per_row(tree: Tree) -> None:
    data = xlsx(ACTIVITY_HEADERS, [
        ["H1", "中心组集体学习", "K1", "2025-03-05", "2025-03-04", 3, "学习", None, "理论培训", "是", None, None, None],
        ["H2", "培训", "K1", "2025-03-05", None, 30, "培训", None, None, None, None, None, None],
    ])
    result = import_file(actor=None, scope=whole_tree_scope(), table="activities", data=data)
    columns = {(e.row, e.column) for e in result.errors}
    assert {(2, "结束日期"), (2, "培训类别"), (2, "是否脱产"), (3, "学时"), (3, "培训类别")} <= columns


def test_attendance_pair_twice_in_a_file_is_an_error(tree: Tree) -> None:
    import_file(actor=None, scope=whole_tree_scope(), table="activities", data=xlsx(ACTIVITY_HEADERS, [
        ["H1", "讲座论坛", "K1", "2025-03-05", None, 2, "讲座", None, None, None, None, None, None]]))
    data = csv_bytes("活动编号,人员编号\nH1,CAD1\nH1,CAD1\n")
    result = import_file(actor=None, scope=whole_tree_scope(), table="attendance", data=data)
    assert [e.row for e in result.errors] == [3]


def test_export_masks_numbers_for_reviewers_and_neutralises_formulas(tree: Tree, reviewer: User) -> None:
    # given
    import_file(actor=None, scope=whole_tree_scope(), table="members", data=csv_bytes(
        '人员编号,姓名,所属组织编码,手机号\nX1,"=HYPERLINK(""http://x"",""点我"")",B1,13800002222\n'))
    # when
    data = export(actor=reviewer, scope=Scope.for_user(reviewer), table="members")
    # then
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    row = next(r for r in values if r[0] == "X1")
    assert row[1].startswith("'=")
    assert row[8] == "138****2222"
    assert "13800002222" not in str(values)
    assert AuditEvent.objects.filter(action="export", object_id="members").count() == 1


def test_export_then_import_round_trips(tree: Tree) -> None:
    data = export(actor=None, scope=whole_tree_scope(), table="orgs")
    result = import_file(actor=None, scope=whole_tree_scope(), table="orgs", data=data)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 0)


def test_templates_hold_the_headers() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(template("attendance"))).active
    assert [c.value for c in next(sheet.iter_rows())] == ["活动编号", "人员编号", "出勤", "学时", "天数"]
