"""`xuexi remind`, kind by kind at its edges: which notices a day brings, to whom, once, and the summary mail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from tests.conftest import Tree
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import whole_tree_scope
from xuexi.learning import services as learning
from xuexi.learning.services import ActivityInput, AttendanceInput
from xuexi.notices.models import Notification, NotificationKind
from xuexi.notices.services import notification_mark_read, remind

Q1_END = date(2026, 3, 31)
MID_YEAR = date(2026, 7, 1)


def _activity(number: str, host: str, start: date, *, kind: str, end: date | None = None,
              hours: Decimal | None = None, off_job: bool = False) -> None:
    learning.activity_save(actor=None, scope=whole_tree_scope(), data=ActivityInput(
        number=number, kind=kind, host_code=host, start_date=start, end_date=end, topic=f"活动{number}", hours=hours,
        training_type="理论培训" if kind == "培训" else "", off_job=off_job))


def _attend(number: str, person: str) -> None:
    learning.attendance_record(actor=None, scope=whole_tree_scope(), activity_number=number,
                               entries=[AttendanceInput(person_number=person)])


def _notices(kind: str) -> set[tuple[str, str]]:
    """(recipient, title) of every notice of a kind."""
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", "title"))


def _recipients(kind: str) -> set[str]:
    return {username for username, _ in _notices(kind)}


# -- 中心组: the last 15 days of a quarter ------------------------------------------------------------------
def test_a_central_group_without_a_session_is_noticed_15_days_before_the_quarter_ends(
        tree: Tree, county_admin: User) -> None:
    # when
    result = remind(as_of=Q1_END - timedelta(days=15))
    # then
    assert result.created[NotificationKind.CENTRAL_GROUP] == 1
    notice = Notification.objects.get(kind=NotificationKind.CENTRAL_GROUP)
    assert notice.recipient == county_admin
    assert notice.title == "中共丙县委员会 2026 年第 1 季度尚无中心组集体学习"
    assert notice.link == "/orgs/K1/compliance/"
    assert notice.key == f"central-group:{tree.county.pk}:2026-Q1"


def test_no_central_group_notice_16_days_before_the_quarter_ends(tree: Tree, county_admin: User) -> None:
    # when
    result = remind(as_of=Q1_END - timedelta(days=16))
    # then
    assert result.created[NotificationKind.CENTRAL_GROUP] == 0
    assert not Notification.objects.filter(kind=NotificationKind.CENTRAL_GROUP).exists()


def test_a_quarter_with_a_central_group_session_brings_no_notice(
        tree: Tree, county_admin: User, city_admin: User) -> None:
    # given: K1's central group met in the quarter, C1's did not
    _activity("ZX1", "K1", date(2026, 2, 10), kind="中心组集体学习")
    # when
    remind(as_of=Q1_END)
    # then
    assert _recipients(NotificationKind.CENTRAL_GROUP) == {"city_admin"}


def test_an_organization_without_administrators_is_noticed_to_its_parents(tree: Tree, city_admin: User) -> None:
    # given: nobody administers K1 itself
    # when
    remind(as_of=Q1_END)
    # then: the city administrator hears of C1 and of K1, and nobody of P (no administrator, no parent's)
    assert _notices(NotificationKind.CENTRAL_GROUP) == {
        ("city_admin", "中共甲市委员会 2026 年第 1 季度尚无中心组集体学习"),
        ("city_admin", "中共丙县委员会 2026 年第 1 季度尚无中心组集体学习"),
    }


# -- 领导干部: behind the pace of hours or research days --------------------------------------------------------
def test_a_leader_behind_pace_is_told_and_so_are_the_administrators(
        tree: Tree, cadre: User, county_admin: User, other_county_admin: User) -> None:
    # when: half the year gone, CAD1 has neither training hours nor research days
    result = remind(as_of=MID_YEAR)
    # then: CAD1 (县处级, 县市区领导) is behind on both of their rules, told to them and to K1's administrator
    assert result.created[NotificationKind.BEHIND_PACE] == 4
    assert _notices(NotificationKind.BEHIND_PACE) == {
        (user, f"李书记 2026 年{label}进度落后") for user in ("cadre", "county_admin")
        for label in ("脱产培训", "到基层调查研究")}
    notice = Notification.objects.filter(recipient=cadre, key__startswith="behind-pace:leader-off-job").get()
    assert notice.link == "/people/CAD1/compliance/"
    assert "已认定 0 学时，全年要求不少于 110 学时" in notice.body


def test_a_leader_on_pace_is_not_told(tree: Tree, cadre: User, county_admin: User) -> None:
    # given: 60 off-job training hours and 31 research days by 1 July (pace: about 55 hours, 30 days)
    _activity("PX1", "K1", date(2026, 3, 2), kind="培训", end=date(2026, 3, 9), hours=Decimal(60), off_job=True)
    _attend("PX1", "CAD1")
    _activity("DY1", "K1", date(2026, 4, 1), kind="调查研究", end=date(2026, 5, 1))
    _attend("DY1", "CAD1")
    # when
    result = remind(as_of=MID_YEAR)
    # then
    assert result.created[NotificationKind.BEHIND_PACE] == 0


def test_a_leader_behind_pace_is_told_at_most_once_a_month(tree: Tree, cadre: User) -> None:
    # given
    remind(as_of=MID_YEAR)
    # when
    later_that_month = remind(as_of=date(2026, 7, 20))
    next_month = remind(as_of=date(2026, 8, 1))
    # then
    assert later_that_month.created[NotificationKind.BEHIND_PACE] == 0
    assert next_month.created[NotificationKind.BEHIND_PACE] == 2
    assert Notification.objects.filter(recipient=cadre).count() == 4


# -- 年度报送: 15 and 25 January ------------------------------------------------------------------------------
@pytest.mark.parametrize("day", [15, 25])
def test_on_15_and_25_january_organizations_with_a_parent_are_reminded_of_the_report(
        tree: Tree, province_admin: User, city_admin: User, county_admin: User, day: int) -> None:
    # when
    result = remind(as_of=date(2027, 1, day))
    # then: C1 and K1 have a parent and an administrator; P has no parent
    assert result.created[NotificationKind.ANNUAL_REPORT] == 2
    assert _notices(NotificationKind.ANNUAL_REPORT) == {
        ("city_admin", "中共甲市委员会：2026 年度学习总结和 2027 年度学习计划须于 1 月 31 日前报送"),
        ("county_admin", "中共丙县委员会：2026 年度学习总结和 2027 年度学习计划须于 1 月 31 日前报送"),
    }


@pytest.mark.parametrize("day", [14, 16, 24, 26, 31])
def test_other_january_days_bring_no_report_reminder(tree: Tree, city_admin: User, county_admin: User,
                                                     day: int) -> None:
    # when
    result = remind(as_of=date(2027, 1, day))
    # then
    assert result.created[NotificationKind.ANNUAL_REPORT] == 0


def test_the_report_is_reminded_again_on_the_25th(tree: Tree, county_admin: User) -> None:
    # given
    remind(as_of=date(2027, 1, 15))
    # when
    again = remind(as_of=date(2027, 1, 25))
    # then
    assert again.created[NotificationKind.ANNUAL_REPORT] == 1
    assert Notification.objects.filter(recipient=county_admin, kind=NotificationKind.ANNUAL_REPORT).count() == 2


# -- a run: idempotent, audited, mailed -------------------------------------------------------------------------
def test_running_twice_on_one_day_creates_nothing_new(tree: Tree, cadre: User, county_admin: User,
                                                     city_admin: User) -> None:
    # given: a day that brings report reminders and pace notices
    first = remind(as_of=date(2026, 1, 25))
    count = Notification.objects.count()
    # when
    second = remind(as_of=date(2026, 1, 25))
    # then
    assert first.total > 0 and first.created[NotificationKind.ANNUAL_REPORT] == 2
    assert second.total == 0
    assert Notification.objects.count() == count


def test_a_run_is_audited_with_its_counts(tree: Tree, county_admin: User) -> None:
    # when
    remind(as_of=Q1_END)
    # then
    event = AuditEvent.objects.filter(action="remind").get()
    assert event.actor_name == "xuexi remind"
    assert '"central_group": 1' in event.detail and '"as_of": "2026-03-31"' in event.detail


def _with_email(user: User, email: str) -> None:
    # No service edits an account's e-mail yet; the address is test set-up.
    user.email = email
    user.save(update_fields=["email"])


def test_one_summary_mail_per_recipient_when_a_mail_host_is_set(
        tree: Tree, cadre: User, county_admin: User, settings: Any, mailoutbox: list[Any],
        django_capture_on_commit_callbacks: Any) -> None:
    # given: the administrator has an address, the cadre none
    settings.EMAIL_HOST = "mail.example.gov.cn"
    _with_email(county_admin, "k1@example.gov.cn")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        result = remind(as_of=Q1_END)
    # then: one mail with K1's central group and CAD1's two rules; the cadre's notices are not mailed
    assert result.mails == 1
    assert [mail.to for mail in mailoutbox] == [["k1@example.gov.cn"]]
    assert mailoutbox[0].subject == "学习型党组织建设平台：3 条新提醒"
    assert "中共丙县委员会 2026 年第 1 季度尚无中心组集体学习" in mailoutbox[0].body
    assert Notification.objects.filter(recipient=county_admin, emailed_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=cadre, emailed_at__isnull=False).count() == 0


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses one mailbox."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if any("refused@" in address for message in email_messages for address in message.to):
            raise OSError("550 mailbox unavailable")
        mail.outbox.extend(email_messages)
        return len(email_messages)


def test_a_refused_mailbox_keeps_neither_the_others_mail_nor_the_run_from_going_through(
        tree: Tree, city_admin: User, county_admin: User, settings: Any, mailoutbox: list[Any],
        django_capture_on_commit_callbacks: Any) -> None:
    # given: the city administrator's mailbox is refused
    settings.EMAIL_HOST = "mail.example.gov.cn"
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    _with_email(city_admin, "refused@example.gov.cn")
    _with_email(county_admin, "k1@example.gov.cn")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        result = remind(as_of=Q1_END)
    # then: both were tried, the county's went out and is stamped, the city's notices stay unmailed
    assert result.mails == 2
    assert [message.to for message in mailoutbox] == [["k1@example.gov.cn"]]
    assert not Notification.objects.filter(recipient=county_admin, emailed_at__isnull=True).exists()
    assert not Notification.objects.filter(recipient=city_admin, emailed_at__isnull=False).exists()
    assert Notification.objects.filter(recipient=city_admin).exists()


def test_no_mail_without_a_mail_host(tree: Tree, county_admin: User, settings: Any, mailoutbox: list[Any],
                                     django_capture_on_commit_callbacks: Any) -> None:
    # given: the same address, no host
    settings.EMAIL_HOST = ""
    _with_email(county_admin, "k1@example.gov.cn")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        result = remind(as_of=Q1_END)
    # then
    assert result.mails == 0
    assert mailoutbox == []
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()


def test_separated_administrators_are_never_reminded(tree: Tree, county_admin: User, auditor: User,
                                                     system_admin: User) -> None:
    # when
    remind(as_of=date(2026, 1, 15))
    # then
    assert not Notification.objects.filter(recipient__in=[auditor, system_admin]).exists()


# -- marking read ------------------------------------------------------------------------------------------------
def test_marking_read_touches_only_ones_own_notifications(tree: Tree, cadre: User, county_admin: User) -> None:
    # given
    remind(as_of=MID_YEAR)
    own = Notification.objects.filter(recipient=cadre).order_by("pk")
    theirs = Notification.objects.filter(recipient=county_admin).values_list("pk", flat=True)
    # when
    one = notification_mark_read(user=cadre, ids=[own[0].pk, *theirs])
    rest = notification_mark_read(user=cadre, ids="all")
    # then
    assert (one, rest) == (1, 1)
    assert not Notification.objects.filter(recipient=cadre, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=county_admin, read_at__isnull=True).count() == 2


# -- the command --------------------------------------------------------------------------------------------------
def test_the_command_prints_the_counts_and_refuses_a_bad_date(tree: Tree, county_admin: User,
                                                              capsys: Any) -> None:
    from xuexi.cli import main

    # when
    ok = main(["remind", "--as-of", "2026-03-31"])
    out = capsys.readouterr().out
    bad = main(["remind", "--as-of", "2026-02-30"])
    err = capsys.readouterr().err
    # then
    assert ok == 0
    assert "2026-03-31 新建提醒 3 条：中心组学习 1，进度落后 2，年度报送 0" in out
    assert bad == 1
    assert "--as-of “2026-02-30”不是日期" in err
