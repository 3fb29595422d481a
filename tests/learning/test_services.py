from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import Tree
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.errors import DomainError, Forbidden, NotFound
from xuexi.learning import selectors, services
from xuexi.learning.models import Activity, Attendance, ClaimStatus
from xuexi.learning.services import ActivityInput, AttendanceInput


def _training(number: str = "A1", host: str = "K1", **overrides: object) -> ActivityInput:
    values: dict[str, object] = {
        "number": number, "kind": "培训", "host_code": host, "start_date": date(2025, 3, 3),
        "end_date": date(2025, 3, 7), "topic": "县处级干部专题培训班", "training_type": "理论培训", "off_job": True,
        "content_areas": ["中国特色社会主义理论体系"],
    }
    values.update(overrides)
    return ActivityInput(**values)  # type: ignore[arg-type]


def test_record_a_training_with_attendance(tree: Tree, county_admin: User) -> None:
    # given
    scope = Scope.for_user(county_admin)
    # when
    services.activity_save(actor=county_admin, scope=scope, data=_training(hours=Decimal(40)))
    count = services.attendance_record(actor=county_admin, scope=scope, activity_number="A1", entries=[
        AttendanceInput("CAD1"), AttendanceInput("MEM1", status="请假")])
    # then
    assert count == 2
    assert Attendance.objects.filter(activity__number="A1").count() == 2
    assert AuditEvent.objects.filter(action="attendance_record", object_id="A1").count() == 1


def test_saving_again_updates_in_place(tree: Tree) -> None:
    services.activity_save(actor=None, scope=whole_tree_scope(), data=_training())
    services.activity_save(actor=None, scope=whole_tree_scope(), data=_training(topic="改名后的培训班"))
    assert Activity.objects.get(number="A1").topic == "改名后的培训班"
    assert Activity.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "开会"}, "kind"),
        ({"end_date": date(2025, 3, 1)}, "end_date"),
        ({"hours": Decimal(121)}, "hours"),
        ({"training_type": ""}, "training_type"),
        ({"content_areas": ["党史"]}, "content_areas"),
        ({"kind": "中心组集体学习", "training_type": "", "off_job": True}, "off_job"),
    ],
)
def test_invalid_activity_is_refused_naming_the_field(tree: Tree, overrides: dict[str, object], field: str) -> None:
    with pytest.raises(DomainError) as caught:
        services.activity_save(actor=None, scope=whole_tree_scope(), data=_training(**overrides))
    assert caught.value.field == field
    assert not Activity.objects.exists()


def test_county_admin_cannot_host_in_another_county(tree: Tree, county_admin: User) -> None:
    with pytest.raises(NotFound):
        services.activity_save(actor=county_admin, scope=Scope.for_user(county_admin), data=_training(host="K3"))


def test_attendance_names_people_outside_scope_as_missing(tree: Tree, county_admin: User) -> None:
    scope = Scope.for_user(county_admin)
    services.activity_save(actor=county_admin, scope=scope, data=_training())
    with pytest.raises(DomainError) as caught:
        services.attendance_record(actor=county_admin, scope=scope, activity_number="A1",
                                   entries=[AttendanceInput("CAD1"), AttendanceInput("MEM2")])
    assert "MEM2" in caught.value.detail
    assert not Attendance.objects.exists()


def test_provincial_training_draws_people_from_many_organizations(tree: Tree, province_admin: User) -> None:
    scope = Scope.for_user(province_admin)
    services.activity_save(actor=province_admin, scope=scope, data=_training(host="P"))
    services.attendance_record(actor=province_admin, scope=scope, activity_number="A1",
                               entries=[AttendanceInput("CAD1"), AttendanceInput("MEM2")])
    assert Attendance.objects.filter(activity__number="A1").count() == 2


def test_archive_explains_every_hour(tree: Tree) -> None:
    # given: a default credit, a training with hours, a central-group session without, leave, a claim
    scope = whole_tree_scope()
    services.credit_rule_set(actor=None, scope=scope, kind="中心组集体学习", hours_per_session=Decimal(3))
    services.activity_save(actor=None, scope=scope, data=_training(hours=Decimal(40)))
    services.activity_save(actor=None, scope=scope, data=ActivityInput(
        number="A2", kind="中心组集体学习", host_code="K1", start_date=date(2025, 4, 1), topic="学习会"))
    services.activity_save(actor=None, scope=scope, data=ActivityInput(
        number="A3", kind="讲座论坛", host_code="K1", start_date=date(2025, 5, 1), topic="讲座", hours=Decimal(2)))
    for number, status in (("A1", "出席"), ("A2", "出席"), ("A3", "请假")):
        services.attendance_record(actor=None, scope=scope, activity_number=number,
                                   entries=[AttendanceInput("CAD1", status=status)])
    # when
    archive = selectors.person_archive(scope=scope, person=tree.cadre_person, year=2025)
    # then
    assert archive.total_hours == Decimal(43)
    assert archive.total_days == Decimal(6)
    reasons = {e.reference: e.reason for e in archive.entries}
    assert reasons["A1"] == "活动登记的学时"
    assert reasons["A2"] == "学时认定规则的默认学时"
    assert reasons["A3"] == "请假，不计学时"
    assert archive.by_kind()["培训"] == (Decimal(40), Decimal(5))
    assert archive.by_area() == {"中国特色社会主义理论体系": Decimal(40)}


def test_claim_counts_only_after_certification(tree: Tree, cadre: User, county_admin: User) -> None:
    # given
    claim = services.claim_submit(actor=cadre, scope=Scope.for_user(cadre), title="自学《习近平谈治国理政》",
                                  start_date=date(2025, 6, 1), hours=Decimal(10))
    pending = selectors.person_archive(scope=whole_tree_scope(), person=tree.cadre_person, year=2025)
    assert pending.total_hours == 0
    # when
    services.claim_decide(actor=county_admin, scope=Scope.for_user(county_admin), claim_id=claim.pk, certify=True)
    # then
    certified = selectors.person_archive(scope=whole_tree_scope(), person=tree.cadre_person, year=2025)
    assert certified.total_hours == Decimal(10)
    assert "认定" in certified.entries[0].reason


def test_refusal_needs_a_reason_and_is_shown(tree: Tree, cadre: User, county_admin: User) -> None:
    claim = services.claim_submit(actor=cadre, scope=Scope.for_user(cadre), title="自学", start_date=date(2025, 6, 1),
                                  hours=Decimal(10))
    scope = Scope.for_user(county_admin)
    with pytest.raises(DomainError):
        services.claim_decide(actor=county_admin, scope=scope, claim_id=claim.pk, certify=False)
    services.claim_decide(actor=county_admin, scope=scope, claim_id=claim.pk, certify=False, reason="无学习记录")
    claim.refresh_from_db()
    assert (claim.status, claim.refusal_reason) == (ClaimStatus.REFUSED, "无学习记录")
    with pytest.raises(DomainError) as caught:
        services.claim_decide(actor=county_admin, scope=scope, claim_id=claim.pk, certify=True)
    assert caught.value.code == "claim_already_decided"


def test_member_cannot_certify_own_claim(tree: Tree, member: User) -> None:
    scope = Scope.for_user(member)
    claim = services.claim_submit(actor=member, scope=scope, title="自学", start_date=date(2025, 6, 1),
                                  hours=Decimal(5))
    with pytest.raises(Forbidden):
        services.claim_decide(actor=member, scope=scope, claim_id=claim.pk, certify=True)


def test_only_the_province_sets_credit_rules(tree: Tree, city_admin: User) -> None:
    with pytest.raises(Forbidden):
        services.credit_rule_set(actor=city_admin, scope=Scope.for_user(city_admin), kind="培训",
                                 hours_per_session=Decimal(6))


def test_activity_list_is_scoped(tree: Tree, county_admin: User) -> None:
    services.activity_save(actor=None, scope=whole_tree_scope(), data=_training("A1", host="K1"))
    services.activity_save(actor=None, scope=whole_tree_scope(), data=_training("A2", host="K3"))
    numbers = [a.number for a in selectors.activity_list(scope=Scope.for_user(county_admin))]
    assert numbers == ["A1"]
