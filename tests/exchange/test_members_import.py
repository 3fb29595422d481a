"""The members (人员) import: set-based, and a re-import of the same roster writes nothing."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import Tree
from tests.factories import valid_id_card
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.exchange.importing import ImportResult, import_file
from xuexi.norms import standings
from xuexi.norms.engine import evaluate
from xuexi.norms.models import Standing
from xuexi.people import personal_numbers as pn
from xuexi.people.models import Person, PersonGroup

HEADER = "人员编号,姓名,性别,所属组织编码,职级,领导职务,关注群体,身份证号,手机号,中心组成员\n"
ID_CARD = valid_id_card(region="110105", seq=41)
ROSTER = HEADER + (
    f"N1,刘一,男,B1,无,无,离退休；流动党员,{ID_CARD},13800001111,否\n"
    "N2,陈二,女,B1,,,,,,\n"
    "MEM1,王党员,,B1,,,,,,\n"
)
# Anywhere in the statement: Django logs an executemany as "<n> times: INSERT ...". A COPY on PostgreSQL is not
# logged at all, so the tests compare the stored rows too.
ROSTER_WRITES = re.compile(r'\b(INSERT INTO|UPDATE|DELETE FROM|COPY)\s+"?people_(person|persongroup)\b', re.IGNORECASE)


def load(text: str, *, scope: Scope | None = None, actor: User | None = None) -> ImportResult:
    return import_file(actor=actor, scope=scope or whole_tree_scope(), table="members",
                       data=text.replace("\n", "\r\n").encode(), filename="members.csv")


def stored(number: str) -> tuple[object, ...]:
    person = Person.objects.get(number=number)
    return (person.name, person.rank, person.updated_at, bytes(person.id_card_cipher or b""),
            bytes(person.phone_cipher or b""), person.id_card_index, person.phone_index)


def same_mask(id_card: str) -> str:
    """Another valid ID-card number that masks the same: another birth date, the same sequence and check digit."""
    borns = (date(1980, 1, 2) + timedelta(days=n) for n in range(365))
    candidates = (valid_id_card(region=id_card[:6], born=f"{born:%Y%m%d}", seq=int(id_card[14:17])) for born in borns)
    return next(c for c in candidates if c[-1] == id_card[-1])


def ending_in_x() -> str:
    return next(c for c in map(lambda n: valid_id_card(seq=n), range(100, 200)) if c.endswith("X"))


def test_reimporting_an_unchanged_roster_writes_nothing(tree: Tree) -> None:
    # given
    assert load(ROSTER).ok
    before = {number: stored(number) for number in ("N1", "N2", "MEM1")}
    groups = sorted(PersonGroup.objects.values_list("id", "person__number", "group"))
    # when
    with CaptureQueriesContext(connection) as queries:
        again = load(ROSTER)
    # then
    assert (again.ok, again.stored, again.created, again.updated) == (True, True, 0, 0)
    assert [q["sql"] for q in queries if ROSTER_WRITES.search(q["sql"])] == []
    assert {number: stored(number) for number in ("N1", "N2", "MEM1")} == before
    assert sorted(PersonGroup.objects.values_list("id", "person__number", "group")) == groups
    audit = json.loads(AuditEvent.objects.filter(action="import", object_id="members").latest("id").detail)
    assert (audit["rows"], audit["created"], audit["updated"], audit["sha256"]) == (3, 0, 0, again.file_hash)


def test_a_changed_row_is_updated_with_its_numbers_enciphered_afresh(tree: Tree) -> None:
    # given
    assert load(ROSTER).ok
    first, second = stored("N1"), stored("N2")
    # when: N1 has a new phone number and rank; the ID card is given again, the same
    result = load(HEADER + f"N1,刘一,男,B1,乡科级,无,离退休；流动党员,{ID_CARD},139 0000-2222,否\n"
                           "N2,陈二,女,B1,,,,,,\n")
    # then
    assert (result.ok, result.created, result.updated) == (True, 0, 1)
    person = Person.objects.get(number="N1")
    assert (person.rank, person.phone_masked) == ("乡科级", "139****2222")
    assert pn.decrypt(person.phone_cipher, purpose="phone") == "13900002222"
    assert person.phone_index == pn.blind_index("13900002222", purpose="phone")
    assert bytes(person.id_card_cipher) == first[3]  # not enciphered again: it did not change
    assert pn.decrypt(person.id_card_cipher, purpose="id_card") == ID_CARD
    assert person.updated_at > first[2]
    assert stored("N2") == second


def test_a_new_id_card_that_masks_the_same_is_stored(tree: Tree) -> None:
    # given
    assert load(ROSTER).ok
    other = same_mask(ID_CARD)
    # when
    result = load(HEADER + f"N1,刘一,男,B1,,,,{other},,\n")
    # then
    assert (result.ok, result.updated) == (True, 1)
    person = Person.objects.get(number="N1")
    assert pn.decrypt(person.id_card_cipher, purpose="id_card") == other
    assert person.id_card_index == pn.blind_index(other, purpose="id_card")
    assert person.birth_date == pn.birth_date_of(other)
    assert pn.decrypt(person.phone_cipher, purpose="phone") == "13800001111"  # a blank cell keeps it


def test_new_groups_replace_the_stored_ones(tree: Tree) -> None:
    # given
    assert load(ROSTER).ok
    # when
    result = load(HEADER + "N1,刘一,男,B1,,,下岗失业,,,\nN2,陈二,女,B1,,,,,,\nMEM1,王党员,,B1,,,离退休、偏远农村,,,\n")
    # then: MEM1 already holds those two groups
    assert (result.ok, result.updated) == (True, 1)
    assert list(PersonGroup.objects.filter(person__number="N1").values_list("group", flat=True)) == ["下岗失业"]
    assert sorted(PersonGroup.objects.filter(person__number="MEM1").values_list("group", flat=True)) == [
        "偏远农村", "离退休"]


def test_rows_outside_the_uploaders_scope_are_named_and_nothing_is_stored(tree: Tree, county_admin: User) -> None:
    # given: row 3 puts a person in another county; row 4 names a person of another county
    data = HEADER + "N1,刘一,男,B1,,,,,,\nN2,陈二,女,K3,,,,,,\nMEM2,赵党员,,B1,,,,,,\n"
    # when
    result = load(data, scope=Scope.for_user(county_admin), actor=county_admin)
    # then
    assert [(e.row, e.column, e.value) for e in result.errors] == [(3, "所属组织编码", "K3"), (4, "人员编号", "MEM2")]
    assert not Person.objects.filter(number__in=["N1", "N2"]).exists()
    assert Person.objects.get(number="MEM2").org == tree.other_county
    assert AuditEvent.objects.filter(action="import", object_id="members", outcome="failure").count() == 1


def test_an_id_card_held_by_another_or_twice_in_the_file_is_named_in_row_order(tree: Tree) -> None:
    # given: row 2 gives the cadre's number; rows 3 and 4 the same new one, row 4 with a lower-case x
    cadres = valid_id_card(seq=11)
    twice = ending_in_x()
    data = HEADER + f"N1,刘一,,B1,,,,{cadres},,\nN2,陈二,,B1,,,,{twice},123,\nN3,张三,,NOPE,,,,{twice.lower()},,\n"
    # when
    result = load(data)
    # then
    assert [(e.row, e.column) for e in result.errors] == [(2, "身份证号"), (3, "手机号"), (4, "所属组织编码"),
                                                         (4, "身份证号")]
    assert "另一人员" in str(result.errors[0])
    assert "第 3 行相同" in str(result.errors[3])
    assert not Person.objects.filter(number__in=["N1", "N2", "N3"]).exists()


def test_a_new_post_brings_the_standings_up_to_date(tree: Tree) -> None:
    # given: a held year, in which 王党员 is bound by no leader's norm
    year = timezone.localdate().year
    standings.ensure_year(year)
    assert not Standing.objects.filter(year=year, person__number="MEM1").exists()
    # when
    result = load(HEADER + "MEM1,王党员,,B1,县处级,县市区领导,,,,\n")
    # then
    assert (result.ok, result.updated) == (True, 1)
    assert Standing.objects.filter(year=year, person__number="MEM1").exists()
    today = timezone.localdate()
    assert set(standings.rows_of(Standing.objects.filter(year=year), today)) == set(
        evaluate(year=year, as_of=today).rows)
