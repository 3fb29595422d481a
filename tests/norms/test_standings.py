"""The standings kept current by every write equal the engine evaluating afresh, on any day they are read."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.conftest import Tree
from xuexi.accounts.models import User
from xuexi.accounts.scope import whole_tree_scope
from xuexi.errors import DomainError
from xuexi.learning import services as learning
from xuexi.learning.models import CreditTotal
from xuexi.learning.services import ActivityInput, AttendanceInput
from xuexi.norms import services as norms
from xuexi.norms import standings
from xuexi.norms.engine import Row, evaluate
from xuexi.norms.models import GroupCoverage, Standing
from xuexi.norms.selectors import Tally, focus_group_coverage, subtree_rollup
from xuexi.norms.services import RuleTerms
from xuexi.orgs import services as orgs
from xuexi.orgs.models import Organization
from xuexi.people import services as people
from xuexi.people.models import FocusGroup, Person, PersonGroup

YEARS = (2024, 2025, 2026)
DAYS = (date(2025, 2, 14), date(2025, 5, 20), date(2025, 11, 30), date(2026, 1, 10), date(2027, 2, 1))
PEOPLE = ["CAD1", "MEM1", "MEM2", "LDR1"]
HOSTS = ["K1", "B1", "K3", "T1", "P"]
KINDS = ["中心组集体学习", "培训", "调查研究", "讲党课"]
WINDOW = RuleTerms(name="三年累计学时", source="测试：领导干部三年累计学时不少于20", subject_type="person",
                   metric="hours", period="window", window_years=3, required=Decimal(20),
                   person_leader_posts=["县市区领导", "市州领导"])
PRESENCE = RuleTerms(name="中心组成员出席率", source="测试：中心组集体学习成员出席率不低于80%", subject_type="org",
                     metric="presence", period="quarter", required=Decimal(80), kinds=["中心组集体学习"],
                     central_group_only=True, sector_required={"农村": Decimal(50)})


def _held(year: int, as_of: date) -> set[Row]:
    return set(standings.rows_of(Standing.objects.filter(year=year), as_of))


def _fresh(year: int, as_of: date) -> set[Row]:
    return set(evaluate(year=year, as_of=as_of).rows)


def _coverage_held(year: int) -> dict[tuple[str, str], tuple[int, int]]:
    return {(c.org.code, c.group): (c.people, c.learners)
            for c in GroupCoverage.objects.filter(year=year).select_related("org") if c.people}


def _coverage_fresh(year: int) -> dict[tuple[str, str], tuple[int, int]]:
    learned = set(CreditTotal.objects.filter(year=year, records__gt=0).values_list("person_id", flat=True))
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in PersonGroup.objects.filter(person__is_active=True).select_related("person__org"):
        count = counts[(row.person.org.code, row.group)]
        count[0] += 1
        count[1] += row.person_id in learned
    for person in Person.objects.filter(is_active=True).select_related("org"):
        count = counts[(person.org.code, "")]  # the whole roster
        count[0] += 1
        count[1] += person.pk in learned
    return {key: (people, learners) for key, (people, learners) in counts.items()}


Breakdowns = dict[tuple[str, str], dict[str, Tally]]


def _rollup_held(org: Organization, year: int, day: date) -> Breakdowns:
    rollup = subtree_rollup(scope=whole_tree_scope(), org=org, year=year, as_of=day)
    return {(r.rule, what): tallies for r in rollup.rules for what, tallies in (
        ("period", r.by_period), ("child", r.by_child), ("level", r.by_level), ("sector", r.by_sector))}


def _rollup_fresh(org: Organization, year: int, day: date) -> Breakdowns:
    children = {c.path: c.code for c in Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1,
                                                                    is_active=True)}
    step = len(org.path) + Organization.steplen
    counted: Breakdowns = defaultdict(dict)
    for row in evaluate(year=year, as_of=day, under=org).rows:
        assert row.place is not None
        child = children.get(row.place.org_path[:step], org.code)
        for what, key in (("period", row.period), ("child", child), ("level", row.place.org_level),
                          ("sector", row.place.org_sector)):
            counted[(row.rule, what)].setdefault(key, Tally()).add(row.status, row.at_risk)
    return dict(counted)


def _group_coverage_fresh(org: Organization, year: int) -> list[tuple[str, int, int]]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    paths = dict(Organization.objects.values_list("code", "path"))
    for (code, group), (members, learners) in _coverage_fresh(year).items():
        if paths[code].startswith(org.path):
            totals[group][0] += members
            totals[group][1] += learners
    return [(group, *totals[group]) for group in FocusGroup.values]  # type: ignore[misc]


def _assert_current() -> None:
    for year in YEARS:
        for day in DAYS:
            assert _held(year, day) == _fresh(year, day), (year, day)
        assert _coverage_held(year) == _coverage_fresh(year), year
    # and every organization's dashboard counts, read from the roll-ups, are those of a fresh evaluation
    for org in Organization.objects.filter(is_active=True):
        for year, day in ((2025, DAYS[1]), (2025, DAYS[3]), (2026, DAYS[2])):
            assert _rollup_held(org, year, day) == _rollup_fresh(org, year, day), (org.code, year, day)
        coverage = focus_group_coverage(scope=whole_tree_scope(), org=org, year=2025)
        assert [(c.group, c.people, c.learners) for c in coverage] == _group_coverage_fresh(org, 2025), org.code


activity = st.tuples(st.just("activity"), st.sampled_from(KINDS), st.sampled_from(HOSTS),
                     st.dates(min_value=date(2024, 12, 20), max_value=date(2026, 1, 10)), st.integers(0, 4),
                     st.one_of(st.decimals(min_value=1, max_value=16, places=1), st.none()), st.booleans(),
                     st.one_of(st.none(), st.sampled_from(PEOPLE)),
                     st.lists(st.sampled_from(PEOPLE), unique=True, min_size=1, max_size=4))  # signed in as present
attend = st.tuples(st.just("attend"), st.integers(0, 5), st.sampled_from(PEOPLE),
                   st.sampled_from(["出席", "缺席", "请假"]), st.one_of(st.none(), st.decimals(0, 16, places=1)))
remove = st.tuples(st.just("remove"), st.integers(0, 5), st.sampled_from(PEOPLE))
post = st.tuples(st.just("post"), st.sampled_from(PEOPLE), st.sampled_from(["县处级", "厅局级", "无"]),
                 st.sampled_from(["县市区领导", "市州领导", "省级领导", "无"]))
groups = st.tuples(st.just("groups"), st.sampled_from(PEOPLE),
                   st.lists(st.sampled_from(["离退休", "流动党员", "偏远农村"]), unique=True, max_size=2))
transfer = st.tuples(st.just("transfer"), st.sampled_from(PEOPLE), st.sampled_from(["K1", "B1", "K3", "C2"]))
org_change = st.tuples(st.just("org"), st.sampled_from(["K1", "K2", "B1", "T1"]), st.booleans(),
                       st.sampled_from(["党政机关", "农村", "国有企业"]))
move = st.tuples(st.just("move"), st.sampled_from([("K2", "C2"), ("K2", "C1"), ("T1", "K2"), ("T1", "K1")]))
exempt = st.tuples(st.just("exempt"), st.sampled_from(["central-group-study-quarterly", "member-training-annual"]),
                   st.sampled_from(["K1", "T1", "P"]), st.sampled_from(["2025", "2025-Q1", "2025-Q2"]), st.booleans())
threshold = st.tuples(st.just("threshold"), st.sampled_from(["leader-off-job-training-110h", "member-training-annual"]),
                      st.sampled_from([date(2025, 1, 1), date(2025, 7, 1), date(2026, 1, 1)]),
                      st.decimals(min_value=0, max_value=120, places=0))
central = st.tuples(st.just("central"), st.sampled_from(PEOPLE), st.booleans())
template = st.tuples(st.just("template"), st.sampled_from(["农村", "党政机关"]),
                     st.sampled_from(["member-training-annual", "leader-off-job-training-110h", "presence"]),
                     st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=0)))
credit = st.tuples(st.just("credit"), st.sampled_from(["培训", "中心组集体学习"]), st.decimals(0, 8, places=1))
operations = st.lists(st.one_of(activity, activity, attend, remove, post, groups, transfer, org_change, move, exempt,
                                threshold, credit, central, template), min_size=1, max_size=8)


def _apply(op: tuple[Any, ...], admin: User, numbers: list[str]) -> None:
    scope = whole_tree_scope()
    kind = op[0]
    if kind == "activity":
        _, activity_kind, host, start, extra, hours, off_job, speaker, present = op
        number = f"A{len(numbers)}"
        learning.activity_save(actor=None, scope=scope, data=ActivityInput(
            number=number, kind=activity_kind, host_code=host, start_date=start, end_date=start + timedelta(extra),
            topic="学习", hours=hours, training_type="理论培训" if activity_kind == "培训" else "",
            off_job=off_job and activity_kind == "培训", speaker_number=speaker or ""))
        numbers.append(number)
        if present:
            learning.attendance_record(actor=None, scope=scope, activity_number=number,
                                       entries=[AttendanceInput(p) for p in present])
    elif kind in ("attend", "remove") and numbers:
        number = numbers[op[1] % len(numbers)]
        if kind == "attend":
            learning.attendance_record(actor=None, scope=scope, activity_number=number,
                                       entries=[AttendanceInput(op[2], status=op[3], hours=op[4])])
        else:
            learning.attendance_remove(actor=None, scope=scope, activity_number=number, person_number=op[2])
    elif kind == "post":
        people.person_update(actor=None, scope=scope, number=op[1], changes={"rank": op[2], "leader_post": op[3]})
    elif kind == "groups":
        people.person_update(actor=None, scope=scope, number=op[1], changes={"groups": op[2]})
    elif kind == "transfer":
        people.person_transfer(actor=None, scope=scope, number=op[1], to_org_code=op[2])
    elif kind == "org":
        orgs.org_update(actor=None, scope=scope, code=op[1], changes={"has_central_group": op[2], "sector": op[3]})
    elif kind == "move":
        orgs.org_move(actor=None, scope=scope, code=op[1][0], new_parent_code=op[1][1])
    elif kind == "exempt":
        _, rule, org, period, grant = op
        if grant:
            norms.exemption_grant(actor=admin, scope=scope, rule_code=rule, period=period, reason="测试",
                                  org_code=org)
        else:
            for exemption in norms.Exemption.objects.filter(rule__code=rule, org__code=org, period=period):
                norms.exemption_revoke(actor=admin, scope=scope, exemption_id=exemption.pk)
    elif kind == "threshold":
        norms.rule_version_change(actor=admin, scope=scope, code=op[1], effective_from=op[2],
                                  changes={"required": op[3]})
    elif kind == "central":
        people.person_update(actor=None, scope=scope, number=op[1], changes={"central_group_member": op[2]})
    elif kind == "template":
        norms.sector_template_save(actor=admin, scope=scope, sector=op[1], effective_from=date(2025, 4, 1),
                                   figures={op[2]: op[3]})
    elif kind == "credit":
        learning.credit_rule_set(actor=admin, scope=scope, kind=op[1], hours_per_session=op[2], hours_per_day=None)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_standings_kept_by_every_write_equal_a_fresh_evaluation(tree: Tree, province_admin: User,
                                                                 ops: list[tuple[Any, ...]]) -> None:
    with transaction.atomic():
        # given: a leader, a rule of a lower level over a window of years, and the years held
        factories.make_person(tree.city, number="LDR1", name="周市长", rank="厅局级", leader_post="市州领导")
        norms.rule_create(actor=province_admin, scope=whole_tree_scope(), code="window-hours", owner_code="C1",
                          effective_from=date(2020, 1, 1), terms=WINDOW)
        norms.rule_create(actor=province_admin, scope=whole_tree_scope(), code="presence", owner_code="P",
                          effective_from=date(2020, 1, 1), terms=PRESENCE)
        for year in YEARS:
            standings.ensure_year(year)
        numbers: list[str] = []
        # when: the writes drawn, each kept or refused whole
        for op in ops:
            try:
                with transaction.atomic():
                    _apply(op, province_admin, numbers)
            except DomainError:
                pass
        # then
        _assert_current()
        # and rebuilt from nothing, the same
        held = {year: (_held(year, DAYS[2]), _coverage_held(year)) for year in YEARS}
        standings.rebuild()
        assert {year: (_held(year, DAYS[2]), _coverage_held(year)) for year in YEARS} == held
        transaction.set_rollback(True)


def test_a_year_is_built_once_on_first_asking_and_then_only_followed(tree: Tree) -> None:
    # given
    assert not standings.is_held(2025)
    # when
    standings.ensure_year(2025)
    with CaptureQueriesContext(connection) as again:
        standings.ensure_year(2025)
    # then: the year holds a row per subject and period; asking again is one query
    assert Standing.objects.filter(year=2025, rule__code="central-group-study-quarterly").count() == 4 * 3
    assert len(again) == 1


def test_an_import_of_many_people_rebuilds_the_year_whole(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    from xuexi.exchange.importing import import_file

    # given: a held year, and a threshold low enough that three people are "many"
    standings.ensure_year(2025)
    monkeypatch.setattr(standings, "WHOLE_YEAR_ABOVE", 2)
    members = ("人员编号,姓名,所属组织编码,职级,领导职务\n"
               "N1,甲,K1,县处级,县市区领导\nN2,乙,K1,县处级,县市区领导\nN3,丙,K3,县处级,县市区领导\n")
    # when
    assert import_file(actor=None, scope=whole_tree_scope(), table="members", data=members.encode(),
                       filename="m.csv").ok
    # then
    assert _held(2025, DAYS[3]) == _fresh(2025, DAYS[3])
    assert Standing.objects.filter(year=2025, person__number__in=["N1", "N2", "N3"]).count() == 3 * 2
