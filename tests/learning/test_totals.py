"""The running totals equal a plain-Python reading of the raw records, refreshed piecemeal or rebuilt whole."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from unittest.mock import patch

from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.conftest import Tree
from xuexi.accounts.models import User
from xuexi.accounts.scope import whole_tree_scope
from xuexi.learning import services, totals
from xuexi.learning.ledger import credited_hours, default_rules
from xuexi.learning.models import (
    Activity,
    Attendance,
    ClaimStatus,
    CreditRule,
    CreditTotal,
    HostedTotal,
    LearningClaim,
    PlatformCredit,
    SpeakerTotal,
)
from xuexi.learning.services import ActivityInput, AttendanceInput
from xuexi.people.models import Person

Key = tuple[int, int, int, str, bool, str]


def _reference() -> dict[Key, tuple[int, int, int]]:
    """Credited hundredths of hours and days, and record counts, as the archive reads the records."""
    rules = default_rules()
    sums: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in Attendance.objects.select_related("activity").filter(status="出席"):
        a = row.activity
        hours, _ = credited_hours(attendance_hours=row.hours, activity_hours=a.hours, kind=a.kind,
                                  length_days=a.length_days, rules=rules)
        days = row.days if row.days is not None else Decimal(a.length_days)
        key = (row.person_id, a.start_date.year, (a.start_date.month + 2) // 3, a.kind, a.off_job, a.training_type)
        sums[key][0] += round(hours * 100)
        sums[key][1] += round(days * 100)
        sums[key][2] += 1
    for c in LearningClaim.objects.filter(status=ClaimStatus.CERTIFIED):
        key = (c.person_id, c.start_date.year, (c.start_date.month + 2) // 3, c.kind, c.off_job, "")
        sums[key][0] += round(c.hours * 100)
        sums[key][1] += round(c.days * 100)
        sums[key][2] += 1
    for p in PlatformCredit.objects.all():
        key = (p.person_id, p.date.year, (p.date.month + 2) // 3, p.kind, False, "")
        sums[key][0] += round(p.hours * 100)
        sums[key][2] += 1
    return {k: (v[0], v[1], v[2]) for k, v in sums.items()}


def _stored() -> dict[Key, tuple[int, int, int]]:
    return {(t.person_id, t.year, t.quarter, t.kind, t.off_job, t.training_type): (t.hours_centi, t.days_centi,
                                                                                    t.records)
            for t in CreditTotal.objects.all()}


def _hosted_reference() -> dict[tuple[int, int, int, str], int]:
    counts: dict[tuple[int, int, int, str], int] = defaultdict(int)
    for a in Activity.objects.all():
        counts[(a.host_id, a.start_date.year, (a.start_date.month + 2) // 3, a.kind)] += 1
    return dict(counts)


def _hosted_stored() -> dict[tuple[int, int, int, str], int]:
    return {(t.org_id, t.year, t.quarter, t.kind): t.activities for t in HostedTotal.objects.all()}


def _speaker_stored() -> dict[tuple[int, int, int, str], int]:
    return {(t.person_id, t.year, t.quarter, t.kind): t.activities for t in SpeakerTotal.objects.all()}


def _speaker_reference() -> dict[tuple[int, int, int, str], int]:
    counts: dict[tuple[int, int, int, str], int] = defaultdict(int)
    for a in Activity.objects.exclude(speaker_person=None):
        assert a.speaker_person_id is not None
        counts[(a.speaker_person_id, a.start_date.year, (a.start_date.month + 2) // 3, a.kind)] += 1
    return dict(counts)


KINDS = ["中心组集体学习", "培训", "调查研究", "讲党课"]
records = st.lists(st.tuples(
    st.sampled_from(KINDS),
    st.dates(min_value=date(2024, 12, 20), max_value=date(2026, 1, 10)),
    st.integers(min_value=0, max_value=9),  # extra days
    st.one_of(st.none(), st.decimals(min_value=0, max_value=40, places=2)),  # activity hours
    st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["出席", "缺席", "请假"]),
                       st.one_of(st.none(), st.decimals(min_value=0, max_value=20, places=2)),
                       st.one_of(st.none(), st.decimals(min_value=0, max_value=5, places=1))), max_size=4),
    st.booleans(),  # off-job (a training only)
    st.one_of(st.none(), st.integers(0, 3)),  # speaker
), min_size=1, max_size=6)
claims = st.lists(st.tuples(st.integers(0, 3), st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 31)),
                            st.decimals(min_value=0, max_value=30, places=2), st.sampled_from(list(ClaimStatus))),
                  max_size=4)
# The platform's own credit: (person, date, hours, source, kind).
platform = st.lists(st.tuples(st.integers(0, 3), st.dates(min_value=date(2024, 12, 20), max_value=date(2026, 1, 10)),
                              st.decimals(min_value=0, max_value=24, places=2), st.sampled_from(["在线学习", "考试"]),
                              st.sampled_from(["网络学习", "专题学习", "培训"])), max_size=4)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records, claims, platform, st.booleans())
def test_totals_equal_the_records_refreshed_or_rebuilt(tree: Tree, data: list, claim_data: list,
                                                       platform_data: list, with_rule: bool) -> None:
    # given: four people, the records drawn, and perhaps a default credit for trainings per day
    extra = factories.make_person(tree.county, name="钱干事")
    people = [tree.cadre_person, tree.member_person, tree.other_member, extra]
    if with_rule:
        CreditRule.objects.update_or_create(kind="培训", defaults={"hours_per_session": Decimal(0),
                                                                 "hours_per_day": Decimal("6.5")})
        CreditRule.objects.update_or_create(kind="中心组集体学习", defaults={"hours_per_session": Decimal(3)})
    touched = totals.Touched()
    hosts = [tree.county, tree.branch, tree.other_county]
    for n, (kind, start, extra, hours, rows, off_job, speaker) in enumerate(data):
        host = hosts[n % 3]
        activity = Activity.objects.create(
            number=f"H{n}", kind=kind, host=host, start_date=start, end_date=start + timedelta(days=extra),
            hours=hours, topic="t", training_type="理论培训" if kind == "培训" else "",
            off_job=off_job and kind == "培训", speaker_person=None if speaker is None else people[speaker])
        touched.add_org(host.pk, start.year)
        if speaker is not None:
            touched.add_person(people[speaker].pk, start.year)
        for who, status, row_hours, row_days in {r[0]: r for r in rows}.values():
            Attendance.objects.create(activity=activity, person=people[who], status=status, hours=row_hours,
                                      days=row_days)
            touched.add_person(people[who].pk, start.year)
    for who, start, hours, status in claim_data:
        LearningClaim.objects.create(person=people[who], title="自学", start_date=start, end_date=start,
                                     hours=hours, status=status, refusal_reason="无" if status == "refused" else "")
        touched.add_person(people[who].pk, start.year)
    for n, (who, day, hours, source, kind) in enumerate(platform_data):
        PlatformCredit.objects.create(person=people[who], date=day, hours=hours, source=source, reference=f"R{n}",
                                      title="平台", kind=kind)
        touched.add_person(people[who].pk, day.year)
    # when: refreshed for what was touched
    totals.refresh(touched)
    # then
    assert _stored() == _reference()
    assert _hosted_stored() == _hosted_reference()
    assert _speaker_stored() == _speaker_reference()
    # and when rebuilt over them, from empty tables, over wrong totals, or over totals too wrong to mend row
    # by row, the same rows
    refreshed = (_stored(), _hosted_stored(), _speaker_stored())
    totals.rebuild()
    assert (_stored(), _hosted_stored(), _speaker_stored()) == refreshed
    for model in (CreditTotal, HostedTotal, SpeakerTotal):
        model.objects.all().delete()
    totals.rebuild()
    assert (_stored(), _hosted_stored(), _speaker_stored()) == refreshed
    CreditTotal.objects.update(records=F("records") + 1)
    totals.rebuild()
    assert (_stored(), _hosted_stored(), _speaker_stored()) == refreshed
    CreditTotal.objects.update(records=F("records") + 1)
    with patch.object(totals, "IN_PLACE_LIMIT", 0):
        totals.rebuild()
    assert (_stored(), _hosted_stored(), _speaker_stored()) == refreshed
    # clean up for the next example (hypothesis reuses the function-scoped database)
    Attendance.objects.all().delete()
    LearningClaim.objects.all().delete()
    PlatformCredit.objects.all().delete()
    Activity.objects.all().delete()
    Person.objects.filter(name="钱干事").delete()
    CreditRule.objects.all().delete()
    totals.rebuild()


def _all_current() -> bool:
    return (_stored(), _hosted_stored(), _speaker_stored()) == (_reference(), _hosted_reference(),
                                                               _speaker_reference())


def test_every_service_write_keeps_the_totals_current(tree: Tree, province_admin: User) -> None:
    scope = whole_tree_scope()

    def save(**changes: Any) -> None:
        fields: dict[str, Any] = {"number": "S1", "kind": "培训", "host_code": "K1", "start_date": date(2025, 3, 30),
                                  "end_date": date(2025, 4, 2), "topic": "培训班", "training_type": "理论培训",
                                  "off_job": True, "speaker_number": "CAD1", **changes}
        services.activity_save(actor=None, scope=scope, data=ActivityInput(**fields))

    # when: an activity is recorded and people signed in
    save()
    services.attendance_record(actor=None, scope=scope, activity_number="S1", entries=[
        AttendanceInput("MEM1"), AttendanceInput("MEM2", hours=Decimal("7.5")), AttendanceInput("CAD1", status="缺席")])
    # then
    assert _all_current() and CreditTotal.objects.filter(year=2025, quarter=1).count() == 2
    # when: the default credit of trainings changes (the activity gives no hours)
    services.credit_rule_set(actor=province_admin, scope=scope, kind="培训", hours_per_session=Decimal(0),
                             hours_per_day=Decimal(6))
    assert _all_current()
    assert CreditTotal.objects.get(person__number="MEM1").hours_centi == 2400
    # when: the activity moves to the next year, to another host, with another speaker
    save(start_date=date(2026, 1, 5), end_date=date(2026, 1, 5), host_code="T1", speaker_number="MEM1")
    assert _all_current() and not CreditTotal.objects.filter(year=2025).exists()
    # when: a person is taken off, and a claim certified
    services.attendance_remove(actor=None, scope=scope, activity_number="S1", person_number="MEM2")
    claim = LearningClaim.objects.create(person=tree.member_person, title="自学", start_date=date(2026, 2, 1),
                                         end_date=date(2026, 2, 1), hours=Decimal(4))
    services.claim_decide(actor=province_admin, scope=scope, claim_id=claim.pk, certify=True)
    # then
    assert _all_current()
    assert CreditTotal.objects.get(person__number="MEM1", kind="个人自学").hours_centi == 400
    # when: the platform credits a day's online time, raises it, and the default credit of its kind changes
    for hours in (Decimal("0.3"), Decimal("0.7")):
        services.platform_credit_record(person_id=tree.member_person.pk, source="在线学习", reference="2026-02-02",
                                        day=date(2026, 2, 2), hours=hours, title="学习资料库在线学习")
    services.credit_rule_set(actor=province_admin, scope=scope, kind="网络学习", hours_per_session=Decimal(1))
    # then: one row, at its latest figure, counted once
    assert _all_current()
    assert CreditTotal.objects.get(person__number="MEM1", kind="网络学习").hours_centi == 70


def test_imports_keep_the_totals_current(tree: Tree) -> None:
    from xuexi.exchange.importing import import_file

    scope = whole_tree_scope()
    activities = ("活动编号,活动类型,主办组织编码,开始日期,结束日期,学时,主题,培训类别,是否脱产\n"
                  "I1,培训,K1,2025-03-30,2025-04-02,,培训班,理论培训,是\n"
                  "I2,中心组集体学习,K1,2025-05-06,,3,学习,,\n")
    attendance = "活动编号,人员编号,出勤,学时\nI1,CAD1,出席,30\nI1,MEM1,请假,\nI2,CAD1,出席,\n"
    # when: activities and attendance are imported
    assert import_file(actor=None, scope=scope, table="activities", data=activities.encode(), filename="a.csv").ok
    assert import_file(actor=None, scope=scope, table="attendance", data=attendance.encode(), filename="b.csv").ok
    # then
    assert _all_current() and CreditTotal.objects.filter(person__number="CAD1").count() == 2
    # when: the training moves to the next year by a second import of the activities
    moved = activities.replace("I1,培训,K1,2025-03-30,2025-04-02", "I1,培训,K1,2026-01-05,2026-01-08")
    assert import_file(actor=None, scope=scope, table="activities", data=moved.encode(), filename="c.csv").ok
    # then the 2025 credit is gone and the 2026 credit is there
    assert _all_current()
    assert set(CreditTotal.objects.filter(person__number="CAD1").values_list("year", "kind")) == {
        (2025, "中心组集体学习"), (2026, "培训")}
