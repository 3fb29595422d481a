"""Attendance imports, read column by column and stored with one set-based upsert: the rules still hold."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tests.conftest import Tree
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.bulk import _Upsert, bulk_upsert
from xuexi.exchange.importing import ImportResult, import_file
from xuexi.learning.models import Activity, Attendance

ACTIVITIES = (
    "活动编号,活动类型,主办组织编码,开始日期,学时,主题\n"
    "H1,讲座论坛,K1,2025-03-05,2,丙县讲座\n"
    "H3,讲座论坛,K3,2025-03-06,2,戊县讲座\n"
)


def csv_bytes(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()


def attendance(text: str, *, scope: Scope | None = None, actor: User | None = None,
               commit: bool = True) -> ImportResult:
    return import_file(actor=actor, scope=scope or whole_tree_scope(), table="attendance",
                       data=csv_bytes("活动编号,人员编号,出勤,学时,天数\n" + text), filename="a.csv", commit=commit)


@pytest.fixture
def activities(tree: Tree) -> None:
    assert import_file(actor=None, scope=whole_tree_scope(), table="activities", data=csv_bytes(ACTIVITIES)).ok


def stored() -> dict[tuple[str, str], tuple[str, Decimal | None, Decimal | None]]:
    return {(a.activity.number, a.person.number): (a.status, a.hours, a.days)
            for a in Attendance.objects.select_related("activity", "person")}


def test_rows_are_stored_with_their_hours_and_days(activities: None) -> None:
    # when
    result = attendance("H1,CAD1,出席,1.5,\nH1,MEM1,请假,,\nH3,MEM2,,,0.5\n")
    # then
    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated, result.stored) == (3, 3, 0, True)
    assert stored() == {("H1", "CAD1"): ("出席", Decimal("1.5"), None), ("H1", "MEM1"): ("请假", None, None),
                        ("H3", "MEM2"): ("出席", None, Decimal("0.5"))}


def test_importing_again_changes_only_the_rows_that_differ(activities: None) -> None:
    # given
    attendance("H1,CAD1,出席,,\nH1,MEM1,出席,,\n")
    first_recorded = Attendance.objects.get(person__number="CAD1").recorded_at
    # when: one row changes, one stays, one is new
    result = attendance("H1,CAD1,出席,,\nH1,MEM1,缺席,,\nH3,MEM2,出席,,\n")
    again = attendance("H1,CAD1,出席,,\nH1,MEM1,缺席,,\nH3,MEM2,出席,,\n")
    # then
    assert (result.created, result.updated) == (1, 1)
    assert (again.created, again.updated) == (0, 0)
    assert stored()[("H1", "MEM1")][0] == "缺席"
    assert Attendance.objects.get(person__number="CAD1").recorded_at == first_recorded


def test_every_bad_cell_is_named_in_row_order_and_nothing_is_stored(activities: None) -> None:
    # when
    result = attendance("H1,CAD1,出席,,\nH1,,迟到,-1,\nNOPE,MEM1,,,\nH1,CAD1,,,\nH1,GHOST,,,\n")
    # then
    assert not result.stored
    assert Attendance.objects.count() == 0
    assert [str(e) for e in result.errors] == [
        "第 3 行“人员编号”列：值为空，应为必填，不能为空",
        "第 3 行“出勤”列：值“迟到”，应为出席、缺席、请假 之一",
        "第 3 行“学时”列：值“-1”，应为不小于 0 的数",
        "第 5 行“人员编号”列：值“CAD1”，应为同一活动的同一人员在文件中唯一（与第 2 行重复）",
        "第 4 行“活动编号”列：值“NOPE”，应为您管理范围内已存在的活动编号",
        "第 6 行“人员编号”列：值“GHOST”，应为您管理范围内已存在的人员编号",
    ]
    event = AuditEvent.objects.get(action="import", object_id="attendance")
    detail = json.loads(event.detail)
    assert (event.outcome, detail["rows"], detail["errors"], detail["sha256"]) == ("failure", 5, 6, result.file_hash)


def test_rows_outside_the_uploaders_scope_are_named_and_nothing_is_stored(activities: None,
                                                                          county_admin: User) -> None:
    # when: H3 is hosted in 戊县, MEM2 belongs to 戊县
    result = attendance("H1,CAD1,出席,,\nH3,MEM1,出席,,\nH1,MEM2,出席,,\n", scope=Scope.for_user(county_admin),
                        actor=county_admin)
    # then
    assert [(e.row, e.column, e.value) for e in result.errors] == [(3, "活动编号", "H3"), (4, "人员编号", "MEM2")]
    assert Attendance.objects.count() == 0


def test_the_upload_of_the_county_admin_succeeds_inside_the_county(activities: None, county_admin: User) -> None:
    # when
    result = attendance("H1,CAD1,出席,,\nH1,MEM1,出席,,\n", scope=Scope.for_user(county_admin), actor=county_admin)
    # then
    assert result.stored, result.errors
    assert set(Attendance.objects.values_list("recorded_by_id", flat=True)) == {county_admin.pk}
    event = AuditEvent.objects.get(action="import", object_id="attendance")
    detail = json.loads(event.detail)
    assert (event.outcome, detail["rows"], detail["created"], detail["sha256"]) == ("success", 2, 2, result.file_hash)


def test_a_preview_checks_without_storing(activities: None) -> None:
    # when
    result = attendance("H1,CAD1,出席,,\n", commit=False)
    # then
    assert result.ok and not result.stored
    assert Attendance.objects.count() == 0


def test_bulk_upsert_keeps_text_with_tabs_newlines_and_backslashes(activities: None, tree: Tree) -> None:
    # given: no choice is enforced by the database, so the status column can carry any short text
    activity = Activity.objects.get(number="H1")
    awkward = ["a\tb", "c\\d", "e\nf"]
    people = [tree.cadre_person.pk, tree.member_person.pk, tree.other_member.pk]
    # when
    counts = bulk_upsert(Attendance, {"activity_id": [activity.pk] * 3, "person_id": people, "status": awkward},
                         conflict=("activity_id", "person_id"), constants={"recorded_at": timezone.now()})
    # then
    assert counts == (3, 0)
    assert sorted(Attendance.objects.values_list("status", flat=True)) == sorted(awkward)


def test_rows_stored_meanwhile_by_someone_else_are_merged_not_refused(activities: None,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # given: a row stored after the import looked (on PostgreSQL new rows are copied straight in, and this
    # one would break the unique constraint)
    attendance("H1,CAD1,出席,,\n")
    monkeypatch.setattr(_Upsert, "split", lambda self, cursor: (range(len(self.columns[0])), []))
    # when
    result = attendance("H1,CAD1,缺席,,\nH1,MEM1,出席,,\n")
    # then
    assert result.stored, result.errors
    assert (result.created, result.updated) == (1, 1)
    assert stored() == {("H1", "CAD1"): ("缺席", None, None), ("H1", "MEM1"): ("出席", None, None)}


def test_a_row_naming_an_activity_that_does_not_exist_is_refused_by_the_database(activities: None,
                                                                                  tree: Tree) -> None:
    # given: an id no activity has (the import looks every number up first; this is the database's own check)
    missing = Activity.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    # when / then
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"), transaction.atomic():
        bulk_upsert(Attendance, {"activity_id": [missing], "person_id": [tree.cadre_person.pk], "status": ["出席"]},
                    conflict=("activity_id", "person_id"), constants={"recorded_at": timezone.now()})
        connection.check_constraints(table_names=[Attendance._meta.db_table])
    assert Attendance.objects.count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="triggers of PostgreSQL")
def test_bulk_upsert_leaves_the_tables_other_triggers_firing(activities: None, tree: Tree) -> None:
    # given: a trigger besides the foreign keys' checks, which checking the keys by value must not silence
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE test_fired (person_id bigint)")
        cursor.execute("CREATE FUNCTION test_note() RETURNS trigger LANGUAGE plpgsql AS "
                       "$$ BEGIN INSERT INTO test_fired VALUES (NEW.person_id); RETURN NULL; END $$")
        cursor.execute("CREATE TRIGGER test_note AFTER INSERT ON learning_attendance "
                       "FOR EACH ROW EXECUTE FUNCTION test_note()")
    activity = Activity.objects.get(number="H1")
    # when
    bulk_upsert(Attendance, {"activity_id": [activity.pk], "person_id": [tree.cadre_person.pk], "status": ["出席"]},
                conflict=("activity_id", "person_id"), constants={"recorded_at": timezone.now()})
    # then
    with connection.cursor() as cursor:
        cursor.execute("SELECT person_id FROM test_fired")
        assert cursor.fetchall() == [(tree.cadre_person.pk,)]
