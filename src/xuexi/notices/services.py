"""Writes of the notification centre: the daily reminders of `xuexi remind`, and marking notifications read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal, TypeVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import AdminRole, GrantRole, ScopeGrant, User
from xuexi.norms import standings
from xuexi.norms.engine import Row, Status
from xuexi.norms.models import Standing
from xuexi.notices.models import Notification, NotificationKind
from xuexi.orgs.models import Organization

CENTRAL_GROUP_RULE = "central-group-study-quarterly"
ANNUAL_REPORT_RULE = "annual-report-jan31"
# Rule code → what is counted and its unit, as the notice names them.
LEADER_RULES: dict[str, tuple[str, str]] = {
    "leader-off-job-training-110h": ("脱产培训", "学时"),
    "provincial-leader-research-30d": ("到基层调查研究", "天"),
    "city-county-leader-research-60d": ("到基层调查研究", "天"),
}
QUARTER_WARNING_DAYS = 15  # from this many days before a quarter's last day on
ANNUAL_REPORT_DAYS = (15, 25)  # days of January
CHUNK = 500  # identifiers per IN (…): well under every database's limit on parameters

T = TypeVar("T")


@dataclass(frozen=True)
class RemindResult:
    as_of: date
    created: Mapping[str, int]  # NotificationKind → notifications this run created
    mails: int  # summary mails handed to the mail backend once the run commits

    @property
    def total(self) -> int:
        return sum(self.created.values())


@dataclass(frozen=True)
class Draft:
    """A notification to be, the same for each of its recipients."""

    kind: str
    key: str  # the same for every recipient; unique per recipient
    title: str
    body: str
    link: str


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _plain(value: Decimal) -> str:
    """110.00 → 110, 12.50 → 12.5."""
    return format(value.normalize(), "f")


def _admin_grants() -> QuerySet[ScopeGrant]:
    # 三员 accounts hold no business data, so they are never told about it.
    return ScopeGrant.objects.filter(role=GrantRole.ORG_ADMIN, user__is_active=True, user__admin_role=AdminRole.NONE)


def nearest_admins(org_ids: Iterable[int]) -> dict[int, set[int]]:
    """Each organization's own administrators (a grant on exactly it); when it has none, its parent's."""
    wanted = sorted(set(org_ids))
    admins: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(wanted):
        for org_id, user_id in _admin_grants().filter(org_id__in=chunk).values_list("org_id", "user_id"):
            admins[org_id].add(user_id)
    orphans = [org_id for org_id in wanted if org_id not in admins]
    parent_path: dict[int, str] = {}
    for chunk in _chunks(orphans):
        rows = Organization.objects.filter(pk__in=chunk, depth__gt=1).values_list("id", "path")
        parent_path.update((org_id, path[: -Organization.steplen]) for org_id, path in rows)
    by_path: dict[str, set[int]] = defaultdict(set)
    for paths in _chunks(sorted(set(parent_path.values()))):
        for path, user_id in _admin_grants().filter(org__path__in=paths).values_list("org__path", "user_id"):
            by_path[path].add(user_id)
    for org_id, path in parent_path.items():
        if by_path.get(path):
            admins[org_id] = by_path[path]
    return admins


def _quarter_end(year: int, quarter: int) -> date:
    return date(year, 12, 31) if quarter == 4 else date(year, 3 * quarter + 1, 1) - timedelta(days=1)


def _standing_rows(as_of: date, rule_codes: list[str]) -> list[Row]:
    """The year's rows of these rules as kept (built here the first run of a year: the daily run builds it)."""
    standings.ensure_year(as_of.year)
    return list(standings.rows_of(Standing.objects.filter(year=as_of.year, rule__code__in=rule_codes), as_of))


def _central_group(as_of: date) -> Iterator[tuple[int, Draft]]:
    """In a quarter's last days, organizations whose central group has not met yet in it."""
    quarter = (as_of.month - 1) // 3 + 1
    end = _quarter_end(as_of.year, quarter)
    if (end - as_of).days > QUARTER_WARNING_DAYS:
        return
    period = f"{as_of.year}-Q{quarter}"
    rows = [row for row in _standing_rows(as_of, [CENTRAL_GROUP_RULE])
            if row.period == period and row.status == Status.IN_PROGRESS and row.actual == 0]
    admins = nearest_admins(row.subject_id for row in rows)
    for row in rows:
        draft = Draft(
            kind=NotificationKind.CENTRAL_GROUP, key=f"central-group:{row.subject_id}:{period}",
            title=f"{row.subject_name} {as_of.year} 年第 {quarter} 季度尚无中心组集体学习",
            body=(f"制度要求中心组每个季度集中学习不少于 {_plain(row.required)} 次。截至 {as_of.isoformat()}，"
                  f"{row.subject_name}（{row.subject}）本季度还没有记录中心组集体学习；季度于 "
                  f"{row.deadline.isoformat()} 结束，请及时组织并录入。"),
            link=reverse("web:org_compliance", args=[row.subject]))
        for user_id in admins.get(row.subject_id, ()):
            yield user_id, draft


def _behind_pace(as_of: date) -> Iterator[tuple[int, Draft]]:
    """Leading cadres behind the pace of their hours or research days; at most once a month per person and rule."""
    rows = [row for row in _standing_rows(as_of, list(LEADER_RULES))
            if row.status == Status.IN_PROGRESS and row.at_risk]
    org_ids: dict[str, int] = {}
    accounts: dict[int, int] = {}
    codes = sorted({row.org for row in rows})
    for some_codes in _chunks(codes):
        org_ids.update(Organization.objects.filter(code__in=some_codes).values_list("code", "id"))
    for chunk in _chunks(sorted({row.subject_id for row in rows})):
        found = User.objects.filter(person_id__in=chunk, is_active=True).values_list("person_id", "id")
        accounts.update((person_id, user_id) for person_id, user_id in found if person_id is not None)
    admins = nearest_admins(org_ids.values())
    start = date(as_of.year, 1, 1)
    for row in rows:
        label, unit = LEADER_RULES[row.rule]
        elapsed = Decimal((as_of - start).days + 1) / Decimal((row.deadline - start).days + 1)
        pace = (row.required * elapsed).quantize(Decimal("0.1"))
        draft = Draft(
            kind=NotificationKind.BEHIND_PACE, key=f"behind-pace:{row.rule}:{row.subject_id}:{as_of:%Y-%m}",
            title=f"{row.subject_name} {as_of.year} 年{label}进度落后",
            body=(f"{row.subject_name}（{row.subject}）{as_of.year} 年{label}已认定 {_plain(row.actual)} {unit}，"
                  f"全年要求不少于 {_plain(row.required)} {unit}，按时间进度截至 {as_of.isoformat()} 应达到约 "
                  f"{_plain(pace)} {unit}；{row.deadline.isoformat()} 截止。"),
            link=reverse("web:person_compliance", args=[row.subject]))
        recipients = set(admins.get(org_ids.get(row.org, 0), ()))
        if row.subject_id in accounts:
            recipients.add(accounts[row.subject_id])
        for user_id in recipients:
            yield user_id, draft


def _annual_report(as_of: date) -> Iterator[tuple[int, Draft]]:
    """On 15 and 25 January, every organization with a parent: last year's report is due on 31 January."""
    if as_of.month != 1 or as_of.day not in ANNUAL_REPORT_DAYS:
        return
    year = as_of.year - 1
    standings.ensure_year(year)
    # Those whose report has not reached the level above (the rule's standing is short until it has).
    unsent = Standing.objects.filter(year=year, rule__code=ANNUAL_REPORT_RULE, short=True, exempt=False)
    grants = (_admin_grants().filter(org__is_active=True, org__depth__gt=1, org_id__in=unsent.values("org_id"))
              .order_by("org__path", "user_id"))
    for user_id, org_id, code, name in grants.values_list("user_id", "org_id", "org__code", "org__name"):
        yield user_id, Draft(
            kind=NotificationKind.ANNUAL_REPORT, key=f"annual-report:{org_id}:{year}:{as_of:%m-%d}",
            title=f"{name}：{year} 年度学习总结和 {as_of.year} 年度学习计划须于 1 月 31 日前报送",
            body=(f"制度要求各级党组织在每年 1 月底前向上级党组织报送上一年度学习情况总结和本年度学习计划。"
                  f"{name}（{code}）的报送截止时间为 {as_of.year} 年 1 月 31 日 24 时（北京时间）。"),
            link=reverse("web:report_detail", args=[code, year]))


def _send_summary(*, user_id: int, email: str, items: Sequence[tuple[str, str, str]]) -> None:
    """One mail listing the run's new notifications of one account; stamped as mailed only once it went out."""
    lines = [f"您有 {len(items)} 条新提醒：", ""]
    lines += [f"· {title}（{link}）" if link else f"· {title}" for _, title, link in items]
    lines += ["", "请登录学习型党组织建设平台，在“通知”中查看详情。"]
    send_mail(f"学习型党组织建设平台：{len(items)} 条新提醒", "\n".join(lines), None, [email])
    now = timezone.now()
    keys = [key for key, _, _ in items]
    for chunk in _chunks(keys):
        Notification.objects.filter(recipient_id=user_id, key__in=chunk).update(emailed_at=now)


def _mailer(*, user_id: int, email: str, items: Sequence[tuple[str, str, str]]) -> Callable[[], None]:
    # A function rather than a partial: Django names a failed robust callback by its __qualname__.
    def send() -> None:
        _send_summary(user_id=user_id, email=email, items=items)

    return send


def _schedule_mails(created: Sequence[Notification]) -> int:
    if not settings.EMAIL_HOST or not created:
        return 0
    by_user: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for notification in created:
        by_user[notification.recipient_id].append((notification.key, notification.title, notification.link))
    emails: dict[int, str] = {}
    for chunk in _chunks(sorted(by_user)):
        emails.update(User.objects.filter(pk__in=chunk).exclude(email="").values_list("id", "email"))
    for user_id, email in emails.items():
        # robust: one unreachable mailbox must not keep the others' mails from going out.
        transaction.on_commit(_mailer(user_id=user_id, email=email, items=by_user[user_id]), robust=True)
    return len(emails)


# What is due on a day: (recipient account id, notification) pairs.
Source = Callable[[date], Iterable[tuple[int, Draft]]]
_sources: list[Source] = []


def register_source(source: Source) -> None:
    """A higher app's reminders, run by every `xuexi remind` after the norms' own (registered in AppConfig.ready)."""
    if source not in _sources:
        _sources.append(source)


def _create(drafts: Mapping[tuple[int, str], Draft]) -> list[Notification]:
    """The notifications not yet held, by (recipient, key); a run racing this one may have written some meanwhile."""
    existing: set[tuple[int, str]] = set()
    for chunk in _chunks(sorted({key for _, key in drafts})):
        existing.update(Notification.objects.filter(key__in=chunk).values_list("recipient_id", "key"))
    now = timezone.now()
    created = [Notification(recipient_id=user_id, kind=d.kind, title=d.title[:200], body=d.body, link=d.link, key=key,
                            created_at=now)
               for (user_id, key), d in sorted(drafts.items()) if (user_id, key) not in existing]
    Notification.objects.bulk_create(created, batch_size=1000, ignore_conflicts=True)
    return created


@transaction.atomic
def notify(*, recipients: Iterable[int], draft: Draft) -> int:
    """Tell these accounts of an event now (a report returned, an item answered); mailed when configured."""
    created = _create({(user_id, draft.key): draft for user_id in set(recipients)})
    _schedule_mails(created)
    return len(created)


@transaction.atomic
def remind(*, as_of: date) -> RemindResult:
    """Create the notifications due on `as_of` that do not exist yet; mail a summary per account when configured."""
    drafts: dict[tuple[int, str], Draft] = {}
    for source in (_central_group, _behind_pace, _annual_report, *_sources):
        for user_id, draft in source(as_of):
            drafts.setdefault((user_id, draft.key), draft)
    created = _create(drafts)
    counts = {kind: 0 for kind in NotificationKind.values}
    for notification in created:
        counts[notification.kind] += 1
    mails = _schedule_mails(created)
    audit_record(action="remind", actor_name="xuexi remind", object_type="notification",
                 object_repr=as_of.isoformat(), detail={"as_of": as_of.isoformat(), **counts, "mails": mails})
    return RemindResult(as_of=as_of, created=counts, mails=mails)


@transaction.atomic
def notification_mark_read(*, user: User, ids: Sequence[int] | Literal["all"]) -> int:
    """Mark the account's own unread notifications read, the given ones or all; another account's ids change nothing."""
    # Not audited: it is the reader's own inbox, not business data, and every click would serialize on the chain.
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids != "all":
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
