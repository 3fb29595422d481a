"""学习积分: derived from the records by the rules in force, capped per day, shown only where switched on."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.conftest import Tree, signed_in_client
from tests.library.world import publish
from tests.mylearning.world import SHANGHAI, attended, opened, rule, switch
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind
from xuexi.exams import listeners
from xuexi.exams.models import Attempt
from xuexi.learning import services as learning_services
from xuexi.learning.models import Activity, Attendance
from xuexi.library.models import ItemView, ReadingTime
from xuexi.mylearning import points, selectors, services
from xuexi.mylearning.models import PointAction, PracticeDay

TODAY = timezone.localdate()
YEAR = TODAY.year
D1, D2 = date(YEAR, 1, 5), date(YEAR, 1, 6)


def _earned(person_id: int) -> dict[date, int]:
    by_day: dict[date, int] = {}
    for row in points.points_by_day(person_id=person_id, since=date(YEAR, 1, 1), until=date(YEAR, 12, 31)):
        by_day[row.day] = by_day.get(row.day, 0) + row.points
    return by_day


def test_points_are_capped_per_day_and_follow_the_rule_in_force(tree: Tree) -> None:
    # given: MEM1 present at three activities on D1 and one on D2; two points each, at most three a day
    for n in range(3):
        attended("MEM1", f"A{n}", D1)
    attended("MEM1", "A3", D2)
    rule(PointAction.ACTIVITY, 2, 3)
    # then: D1 is capped at 3, D2 earns 2
    assert _earned(tree.member_person.pk) == {D1: 3, D2: 2}
    # when: the province changes the rule, history is read again by the new one
    rule(PointAction.ACTIVITY, 1, 10)
    assert _earned(tree.member_person.pk) == {D1: 3, D2: 1}
    # when: the rule is switched off, nothing is earned
    rule(PointAction.ACTIVITY, 1, 10, enabled=False)
    assert _earned(tree.member_person.pk) == {}
    assert AuditEvent.objects.filter(action="point_rule_set", object_id="参加学习活动").count() == 3


def test_every_action_counts_its_own_records(tree: Tree, member: User, county_admin: User) -> None:
    # given: each action at ten points a day at most, one point a unit
    for action in PointAction.values:
        rule(action, 1, 10, unit_minutes=10)
    person = tree.member_person
    first, second = publish("P", "资料一"), publish("P", "资料二")
    opened(person, first, D1)
    opened(person, second, D1)
    listeners.practice_graded(person, D1, questions=5, right=4)
    listeners.practice_graded(person, D1, questions=5, right=5)  # a second hand-in: the same day
    learning_services.claim_submit(actor=member, scope=Scope.for_user(member), title="自学", start_date=D2,
                                   hours=2)  # type: ignore[arg-type]
    claim = person.claims.get()
    learning_services.claim_decide(actor=county_admin, scope=Scope.for_user(county_admin), claim_id=claim.pk,
                                   certify=True)
    attended("MEM1", "A1", D2)
    # then: two items read and the practice on D1; the claim and the activity on D2
    rows = points.points_by_day(person_id=person.pk, since=D1, until=D2)
    assert {(r.day, r.action, r.points) for r in rows} == {
        (D1, "阅读资料", 2), (D1, "每日一练", 1), (D2, "学时认定", 1), (D2, "参加学习活动", 1)}
    assert PracticeDay.objects.get(person=person, day=D1).right == 5
    assert AuditEvent.objects.filter(action="practice_done", object_id="MEM1").count() == 1


def test_a_passed_exam_counts_once_on_the_day_of_its_first_pass(tree: Tree, exam_for_k1: object) -> None:
    # given: CAD1 failed, then passed twice (three attempts, two of them passing)
    rule(PointAction.EXAM_PASSED, 5, 5)
    person = tree.cadre_person
    for seq, passed, day in ((1, False, D1), (2, True, D2), (3, True, D2 + timedelta(days=1))):
        at = datetime.combine(day, time(9), tzinfo=SHANGHAI)
        Attempt.objects.create(exam=exam_for_k1, person=person, seq=seq, started_at=at, deadline=at,
                               submitted_at=at, total=100, score=80 if passed else 10, passed=passed)
    # then
    assert _earned(person.pk) == {D2: 5}


@pytest.fixture
def exam_for_k1(province_admin: User) -> object:
    from xuexi.exams import papers
    from xuexi.exams import services as exam_services

    scope = Scope.for_user(province_admin)
    exam_services.question_create(actor=province_admin, scope=scope, code="Q1", publisher_code="P",
                                  data=exam_services.QuestionInput(area="科学发展观", kind="判断", stem="判断",
                                                                   answer="对", difficulty="易"))
    papers.paper_create(actor=province_admin, scope=scope, code="PP", title="卷", publisher_code="P",
                        items=[papers.FixedItem("Q1", 100)])
    now = timezone.now()
    return papers.exam_create(actor=province_admin, scope=scope, code="EXP", org_code="K1",
                              data=papers.ExamInput(title="积分测试考试", paper="PP", opens_at=now - timedelta(days=1),
                                                    closes_at=now + timedelta(days=1), duration_minutes=10,
                                                    pass_mark=60, max_attempts=3))


def test_online_time_counts_whole_blocks_of_reading_time(tree: Tree) -> None:
    # given: 25 minutes on one item and 12 on another on D1; a point per 10 minutes, at most 3
    rule(PointAction.ONLINE_TIME, 1, 3, unit_minutes=10)
    rule(PointAction.READ, 1, 10)
    first, second = publish("P", "资料一"), publish("P", "资料二")
    ReadingTime.objects.create(person=tree.member_person, item=first, day=D1, seconds=25 * 60)
    ReadingTime.objects.create(person=tree.member_person, item=second, day=D1, seconds=12 * 60)
    opened(tree.member_person, first, D1)  # first opened that day too: still one item read
    # then: 37 minutes are three whole blocks; two items read
    assert _earned(tree.member_person.pk) == {D1: 3 + 2}


def test_points_show_only_where_the_organization_or_the_nearest_above_switched_them_on(
        tree: Tree, member: User, county_admin: User, reviewer: User) -> None:
    # given: an enabled rule and a record, and no switch anywhere (the default)
    rule(PointAction.ACTIVITY, 1, 5)
    attended("MEM1", "A1", TODAY)
    client = signed_in_client(member)
    assert selectors.person_points(person=tree.member_person, year=YEAR, today=TODAY).shown is False
    off = client.get("/api/me/points").json()
    assert off["shown"] is False and off["total"] == 0 and off["by_rule"] == []
    assert 'data-testid="me-points"' not in client.get("/me/").content.decode()
    # when: the county switches points on; B1 follows
    services.points_switch(actor=county_admin, scope=Scope.for_user(county_admin), org_code="K1", enabled=True)
    on = client.get("/api/me/points").json()
    assert on["shown"] is True and on["total"] == 1 and on["today"] == 1
    assert on["by_rule"] == [{"action": "参加学习活动", "points_each": 1, "daily_cap": 5, "unit_minutes": 10,
                              "earned": 1}]
    assert "积分按现行规则从学习记录计算" in client.get("/me/").content.decode()
    # when: B1's own switch says off, it wins over the county's; inheriting again follows the county
    services.points_switch(actor=county_admin, scope=Scope.for_user(county_admin), org_code="B1", enabled=False)
    assert client.get("/api/me/points").json()["shown"] is False
    services.points_switch(actor=county_admin, scope=Scope.for_user(county_admin), org_code="B1", enabled=None)
    assert client.get("/api/me/points").json()["shown"] is True
    assert AuditEvent.objects.filter(action="points_switch", object_id="B1").count() == 2
    # and: a reviewer may not switch
    with pytest.raises(DomainError) as refused:
        services.points_switch(actor=reviewer, scope=Scope.for_user(reviewer), org_code="B1", enabled=True)
    assert refused.value.kind == ErrorKind.FORBIDDEN


def test_only_the_province_sets_rules_and_bad_values_are_named(tree: Tree, county_admin: User,
                                                               province_admin: User) -> None:
    with pytest.raises(DomainError) as refused:
        services.point_rule_set(actor=county_admin, scope=Scope.for_user(county_admin), action="每日一练", points=1,
                                daily_cap=1, enabled=True)
    assert refused.value.kind == ErrorKind.FORBIDDEN
    with pytest.raises(DomainError) as bad:
        services.point_rule_set(actor=province_admin, scope=Scope.for_user(province_admin), action="每日一练",
                                points=1, daily_cap=0, enabled=True)
    assert bad.value.field == "daily_cap" and "每日上限“0”" in bad.value.detail
    # the rules page: a county administrator reads, the province's changes a row
    assert "规则由省级组织管理员设置，您可以查看" in signed_in_client(county_admin).get(
        "/admin/point-rules/").content.decode()
    response = signed_in_client(province_admin).post("/admin/point-rules/", {
        "action": "每日一练", "points": "2", "daily_cap": "2", "enabled": "on"})
    assert response.status_code == 302
    assert [(r.action, r.points, r.enabled) for r in points.rules_in_force() if r.enabled] == [("每日一练", 2, True)]
    bad_form = signed_in_client(province_admin).post("/admin/point-rules/", {
        "action": "每日一练", "points": "abc", "daily_cap": "2"}, follow=True).content.decode()
    assert "每日一练：每次积分“abc”无效" in bad_form


def test_the_summary_counts_earners_and_the_ranking_needs_both_switches(
        tree: Tree, member: User, county_admin: User) -> None:
    # given: two people of B1 with points, points on for K1
    factories.make_person(tree.branch, number="MEM9", name="钱党员")
    rule(PointAction.ACTIVITY, 1, 10)
    attended("MEM1", "A1", D1)
    attended("MEM9", "A2", D1)
    attended("MEM9", "A3", D2)
    switch("K1", True)
    admin = signed_in_client(county_admin)
    # then: the summary, without names
    summary = selectors.org_points_summary(scope=Scope.for_user(county_admin), org=tree.branch, year=YEAR)
    assert (summary.people, summary.earners, summary.total, summary.average) == (2, 2, 3, 1.5)
    page = admin.get(f"/orgs/B1/points/?year={YEAR}").content.decode()
    assert "钱党员" not in page and 'data-testid="points-earners">2<' in page
    # and: no ranking while 学习排名 is off: refused to the administrator, missing to the member
    assert admin.get(f"/orgs/B1/points/ranking/?year={YEAR}").status_code == 403
    assert signed_in_client(member).get(f"/orgs/B1/points/ranking/?year={YEAR}").status_code == 404
    # when: rankings are switched on too
    learning_services.ranking_switch(actor=county_admin, scope=Scope.for_user(county_admin), org_code="K1",
                                     enabled=True)
    page = signed_in_client(member).get(f"/orgs/B1/points/ranking/?year={YEAR}").content.decode()
    assert "您排在第 2 名，1 分" in page and "钱党员" in page
    assert signed_in_client(member).get(f"/orgs/K1/points/ranking/?year={YEAR}").status_code == 404


# -- no sequence of records earns more than the caps ---------------------------------------------------
DAYS = [date(YEAR, 2, d) for d in (1, 2, 3)]
record = st.tuples(st.sampled_from(["activity", "practice", "read"]), st.integers(0, 2))
terms = st.tuples(st.integers(1, 5), st.integers(1, 6))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(record, max_size=14), activity=terms, practice=terms, read=terms)
def test_no_records_earn_more_than_the_caps_of_a_day(tree: Tree, records: list[tuple[str, int]],
                                                     activity: tuple[int, int], practice: tuple[int, int],
                                                     read: tuple[int, int]) -> None:
    # given: the rules drawn, and the records drawn on three days
    chosen = {PointAction.ACTIVITY: activity, PointAction.PRACTICE: practice, PointAction.READ: read}
    for action, (each, cap) in chosen.items():
        rule(action, each, cap)
    person = tree.member_person
    units: dict[tuple[date, str], int] = {}
    for n, (what, day_index) in enumerate(records):
        day = DAYS[day_index]
        if what == "activity":
            activity_row = Activity.objects.create(number=f"H{n}", kind="专题学习", host=tree.branch, start_date=day,
                                                   end_date=day, topic="学习")
            Attendance.objects.create(activity=activity_row, person=person)
            units[(day, "参加学习活动")] = units.get((day, "参加学习活动"), 0) + 1
        elif what == "practice":
            listeners.practice_graded(person, day, questions=5, right=3)
            units[(day, "每日一练")] = 1
        else:
            opened(person, publish("P", f"资料{n}"), day)
            units[(day, "阅读资料")] = units.get((day, "阅读资料"), 0) + 1
    # when
    earned = _earned(person.pk)
    # then: each day within the sum of the caps, and exactly Σ min(cap, units × points)
    caps = sum(cap for _, cap in chosen.values())
    assert all(total <= caps for total in earned.values())
    expected: dict[date, int] = {}
    for (day, action), count in units.items():
        each, cap = chosen[PointAction(action)]
        expected[day] = expected.get(day, 0) + min(cap, count * each)
    assert earned == expected
    # clean up for the next example (hypothesis reuses the function-scoped database)
    Attendance.objects.all().delete()
    Activity.objects.all().delete()
    PracticeDay.objects.all().delete()
    ItemView.objects.all().delete()


def test_handing_in_the_daily_practice_keeps_the_day(tree: Tree, member: User, province_admin: User) -> None:
    from xuexi.exams import services as exam_services

    # given: one question reaching MEM1
    exam_services.question_create(actor=province_admin, scope=Scope.for_user(province_admin), code="Q1",
                                  publisher_code="P", data=exam_services.QuestionInput(
                                      area="科学发展观", kind="判断", stem="判断", answer="对", difficulty="易"))
    # when: handed in through the API, twice
    client = signed_in_client(member)
    answered = client.post("/api/exams/practice", {"answers": {"1": "对"}}, content_type="application/json")
    assert answered.status_code == 200
    answered = client.post("/api/exams/practice", {"answers": {"1": "错"}}, content_type="application/json")
    assert answered.status_code == 200
    # then: one day kept, with the last score
    kept = PracticeDay.objects.get(person=tree.member_person)
    assert (kept.day, kept.questions, kept.right, kept.handed_in) == (TODAY, 1, 0, 2)
