"""网络学习计时: heartbeats credit time only while visible and active, within the caps, into the hours ledger."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Tree
from tests.library.world import publish
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, Forbidden, NotFound
from xuexi.learning import selectors as learning_selectors
from xuexi.learning.models import CreditTotal, PlatformCredit
from xuexi.library import reading
from xuexi.library.models import LibraryItem, OnlineCreditRule, ReadingTime

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
DAY = T0.date()


def _at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def _beat(user: User, item: LibraryItem, seconds: float, *, visible: bool = True, active: bool = True) -> int:
    return reading.heartbeat(scope=Scope.for_user(user), item_id=item.pk, visible=visible, active=active,
                             now=_at(seconds)).credited


def _beats(user: User, item: LibraryItem, times: list[float], **flags: bool) -> list[int]:
    return [_beat(user, item, t, **flags) for t in times]


def _rule(**values: int) -> None:
    fields = {"enabled": True, "beat_seconds": 30, "grace_seconds": 10, "item_cap_minutes": 30,
              "day_cap_minutes": 120, **values}
    OnlineCreditRule.objects.update_or_create(pk=1, defaults=fields)


@pytest.fixture
def item(tree: Tree) -> LibraryItem:
    return publish("P", "省级资料")


# -- the rules of a beat ---------------------------------------------------------------------------
def test_the_first_beat_earns_nothing_and_each_interval_after_it_counts(member: User, item: LibraryItem) -> None:
    # when
    credited = _beats(member, item, [0, 30, 61, 90])
    # then
    assert credited == [0, 30, 31, 29]
    assert ReadingTime.objects.get(item=item).seconds == 90


def test_a_hidden_or_idle_page_earns_nothing_and_starts_a_new_run(member: User, item: LibraryItem) -> None:
    # when: live, hidden, live again; then idle, live again
    credited = [_beat(member, item, 0), _beat(member, item, 30), _beat(member, item, 60, visible=False),
                _beat(member, item, 90), _beat(member, item, 120), _beat(member, item, 150, active=False),
                _beat(member, item, 180), _beat(member, item, 210)]
    # then: the span before a hidden or idle beat, and the beat after it, count nothing
    assert credited == [0, 30, 0, 0, 30, 0, 0, 30]


def test_a_long_gap_is_not_back_filled(member: User, item: LibraryItem) -> None:
    # when: the page beats again five minutes later (the computer slept)
    credited = _beats(member, item, [0, 300, 330])
    # then
    assert credited == [0, 0, 30]


def test_beats_sooner_than_the_interval_earn_nothing(member: User, item: LibraryItem) -> None:
    # when: a script beats every second
    credited = _beats(member, item, [0, *range(1, 20), 30])
    # then: only the beat at the interval counts, for the time since the last counted beat
    assert sum(credited) == 30 and credited[-1] == 30


def test_a_clock_going_back_earns_nothing_and_never_takes_time_away(member: User, item: LibraryItem) -> None:
    # when: the server's clock steps back twenty seconds and goes on
    credited = _beats(member, item, [0, 30, 10, 40, 60])
    # then
    assert credited == [0, 30, 0, 0, 30]
    assert ReadingTime.objects.get(item=item).seconds == 60


def test_two_items_open_at_once_earn_the_time_once(member: User, item: LibraryItem) -> None:
    # given: a second item in another tab, beating fifteen seconds after the first
    other = publish("P", "另一条资料")
    # when
    for t in (0, 30, 60, 90):
        _beat(member, item, t)
        _beat(member, other, t + 15)
    # then: 105 seconds of wall clock from the first live beat, credited no more than once
    assert sum(ReadingTime.objects.values_list("seconds", flat=True)) <= 105 - 15


def test_the_item_and_day_caps_clip_the_credit(member: User, item: LibraryItem) -> None:
    # given: at most one minute an item, two minutes a day
    _rule(item_cap_minutes=1, day_cap_minutes=2)
    others = [publish("P", f"资料{n}") for n in range(2)]
    # when: three minutes on each item in turn
    for n, each in enumerate([item, *others]):
        _beats(member, each, [600 * n + 30 * k for k in range(7)])
    # then
    seconds = dict(ReadingTime.objects.values_list("item_id", "seconds"))
    assert seconds == {item.pk: 60, others[0].pk: 60, others[1].pk: 0}


def test_an_item_outside_the_readers_scope_is_missing_and_nothing_is_kept(tree: Tree, member: User) -> None:
    # given: an item of another county
    beside = publish("K3", "外县资料")
    # when / then
    with pytest.raises(NotFound):
        _beat(member, beside, 0)
    assert not ReadingTime.objects.exists()


def test_an_account_without_a_person_is_refused(tree: Tree, reviewer: User, item: LibraryItem) -> None:
    # when / then
    with pytest.raises(Forbidden):
        _beat(reviewer, item, 0)


def test_the_day_is_shanghais(member: User, item: LibraryItem) -> None:
    # given: beats on both sides of midnight in Shanghai (16:00 UTC)
    before = dt.datetime(2026, 3, 2, 23, 59, 10, tzinfo=SHANGHAI)
    # when
    credited = [reading.heartbeat(scope=Scope.for_user(member), item_id=item.pk, visible=True, active=True,
                                  now=before + dt.timedelta(seconds=s)).credited for s in (0, 30, 60, 90)]
    # then: the new day starts a new run, and its rows are the Shanghai dates
    assert credited == [0, 30, 0, 30]
    assert dict(ReadingTime.objects.values_list("day", "seconds")) == {dt.date(2026, 3, 2): 30,
                                                                       dt.date(2026, 3, 3): 30}


def test_a_disabled_rule_credits_nothing(member: User, item: LibraryItem) -> None:
    # given
    _rule(enabled=False)
    # when / then
    assert _beats(member, item, [0, 30, 60]) == [0, 0, 0]


# -- into the ledger -----------------------------------------------------------------------------------
def test_every_full_six_minutes_credit_a_tenth_of_an_hour_in_the_archive(tree: Tree, member: User,
                                                                          item: LibraryItem) -> None:
    # when: 390 seconds, then 720
    _beats(member, item, [30 * k for k in range(14)])
    # then: one row for the day, counted in the ledger and explained in the archive
    credit = PlatformCredit.objects.get(person=tree.member_person)
    assert (credit.source, credit.reference, credit.kind, credit.hours) == ("在线学习", "2026-03-02", "网络学习",
                                                                          Decimal("0.1"))
    assert CreditTotal.objects.get(person=tree.member_person, kind="网络学习").hours_centi == 10
    _beats(member, item, [30 * k for k in range(14, 25)])
    assert PlatformCredit.objects.get(person=tree.member_person).hours == Decimal("0.2")
    archive = learning_selectors.person_archive(scope=Scope.for_user(member), person=tree.member_person, year=2026)
    [entry] = [e for e in archive.entries if e.source == "网络学习"]
    assert entry.counted and entry.hours == Decimal("0.2") and "12 分钟" in entry.reason


def test_a_beat_that_does_not_change_the_days_figure_leaves_the_ledger_alone(tree: Tree, member: User,
                                                                            item: LibraryItem) -> None:
    # given: 390 seconds today, 0.1 h in the ledger
    _beats(member, item, [30 * k for k in range(14)])
    written = PlatformCredit.objects.get(person=tree.member_person).updated_at
    # when: a beat to 420 seconds (still 0.1 h)
    with CaptureQueriesContext(connection) as quiet:
        assert _beat(member, item, 420) == 30
    # then: a handful of queries, none of them the ledger's
    assert len(quiet.captured_queries) <= 10
    assert not any("learning_" in q["sql"] for q in quiet.captured_queries)
    assert PlatformCredit.objects.get(person=tree.member_person).updated_at == written
    # and when a beat crosses 0.2 h, the ledger is written and refreshed
    with CaptureQueriesContext(connection) as crossing:
        _beats(member, item, [30 * k for k in range(15, 25)])
    assert any("learning_credittotal" in q["sql"] for q in crossing.captured_queries)


# -- the province's rule ---------------------------------------------------------------------------------
def test_the_province_sets_the_rule_and_it_is_audited(province_admin: User) -> None:
    # when
    reading.online_rule_set(actor=province_admin, scope=Scope.for_user(province_admin), enabled=True,
                            beat_seconds=20, grace_seconds=5, item_cap_minutes=15, day_cap_minutes=60)
    # then
    assert reading.current_rule().beat_seconds == 20
    detail = json.loads(AuditEvent.objects.get(action="online_rule_set").detail)
    assert detail["before"]["beat_seconds"] == 30 and detail["after"]["beat_seconds"] == 20


def test_a_city_cannot_set_the_rule(city_admin: User) -> None:
    # when / then
    with pytest.raises(Forbidden):
        reading.online_rule_set(actor=city_admin, scope=Scope.for_user(city_admin), enabled=True, beat_seconds=20,
                                grace_seconds=5, item_cap_minutes=15, day_cap_minutes=60)
    assert not OnlineCreditRule.objects.exists()


def test_a_grace_as_long_as_the_interval_is_refused_naming_the_field(province_admin: User) -> None:
    # when / then
    with pytest.raises(DomainError) as refused:
        reading.online_rule_set(actor=province_admin, scope=Scope.for_user(province_admin), enabled=True,
                                beat_seconds=20, grace_seconds=20, item_cap_minutes=15, day_cap_minutes=60)
    assert refused.value.field == "grace_seconds" and "20" in refused.value.detail
    assert not OnlineCreditRule.objects.exists()


# -- no sequence of beats earns more than the caps or the clock ------------------------------------------
ITEM_CAP, DAY_CAP = 2, 3  # minutes
beats = st.lists(st.tuples(st.integers(min_value=0, max_value=90), st.booleans(), st.booleans(),
                           st.integers(min_value=0, max_value=2)), min_size=1, max_size=25)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(beats)
def test_no_sequence_of_beats_earns_more_than_the_caps_or_the_time_elapsed(
        tree: Tree, member: User, sequence: list[tuple[int, bool, bool, int]]) -> None:
    # given: three items, a minute-scale rule
    _rule(beat_seconds=20, grace_seconds=5, item_cap_minutes=ITEM_CAP, day_cap_minutes=DAY_CAP)
    items = list(LibraryItem.objects.order_by("pk")[:3])
    while len(items) < 3:
        items.append(publish("P", f"资料{len(items)}"))
    # when
    elapsed = 0
    for delay, visible, active, which in sequence:
        elapsed += delay
        _beat(member, items[which], elapsed, visible=visible, active=active)
    # then
    seconds = list(ReadingTime.objects.values_list("seconds", flat=True))
    assert all(s <= ITEM_CAP * 60 for s in seconds)
    assert sum(seconds) <= min(DAY_CAP * 60, elapsed - sequence[0][0])  # from the first beat
    hours = PlatformCredit.objects.filter(person=tree.member_person).values_list("hours", flat=True).first()
    assert (hours or Decimal(0)) == reading.credited_hours(sum(seconds))
    # clean up for the next example (hypothesis reuses the function-scoped database)
    ReadingTime.objects.all().delete()
    PlatformCredit.objects.all().delete()
    CreditTotal.objects.all().delete()
