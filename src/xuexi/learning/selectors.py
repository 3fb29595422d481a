"""Reads of learning records, always within the caller's scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum, TextChoices
from django.db.models.functions import Substr

from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, NotFound
from xuexi.learning.access import access_activity, campaign_scope_q
from xuexi.learning.errors import LearningError
from xuexi.learning.ledger import credited_hours, default_rules
from xuexi.learning.models import (
    Activity,
    Attachment,
    Attendance,
    AttendanceStatus,
    Campaign,
    ClaimStatus,
    CreditTotal,
    LearningClaim,
    OrgSwitch,
    PersonalPlan,
    PlatformCredit,
    PlatformSource,
    RankingSwitch,
    StudyPlan,
    StudyPlanItem,
)
from xuexi.orgs.errors import OrgError
from xuexi.orgs.models import Organization
from xuexi.people.models import Person


@dataclass(frozen=True)
class ActivityFilters:
    host_path: str = ""  # the host's subtree
    direct_only: bool = False
    kind: str = ""
    since: date | None = None
    until: date | None = None
    search: str = ""


def activity_list(*, scope: Scope, filters: ActivityFilters | None = None) -> QuerySet[Activity]:
    """Activities hosted inside the scope, newest first."""
    scope.require_business_data()
    filters = filters or ActivityFilters()
    qs = Activity.objects.select_related("host").filter(scope.org_q("host__"))
    if filters.host_path:
        qs = qs.filter(host__path=filters.host_path) if filters.direct_only else qs.filter(
            host__path__startswith=filters.host_path)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.since:
        qs = qs.filter(start_date__gte=filters.since)
    if filters.until:
        qs = qs.filter(start_date__lte=filters.until)
    if filters.search:
        qs = qs.filter(topic__contains=filters.search)
    return qs.order_by("-start_date", "-id")


class SignInSource(TextChoices):
    MEMBERS = "members", "本组织人员"
    CENTRAL_GROUP = "central_group", "中心组成员"
    SEARCH = "search", "按姓名或编号查找"


def sign_in_candidates(*, scope: Scope, activity: Activity, source: str, search: str = "") -> QuerySet[Person]:
    """Whom a recorder may sign in: the host's members, its central group, or anyone found in the scope.

    A provincial training draws from many organizations, so a search reaches the recorder's whole scope.
    """
    people = Person.objects.select_related("org").filter(scope.person_q(), is_active=True)
    if source == SignInSource.CENTRAL_GROUP:
        people = people.filter(org_id=activity.host_id, central_group_member=True)
    elif source == SignInSource.SEARCH:
        text = search.strip()
        if not text:
            return people.none()
        people = people.filter(Q(name__contains=text) | Q(number=text))
    else:
        people = people.filter(org_id=activity.host_id)
    return people.order_by("org__path", "number")


def attendance_by_person(*, activity: Activity, person_ids: list[int]) -> dict[int, Attendance]:
    return {row.person_id: row for row in Attendance.objects.filter(activity=activity, person_id__in=person_ids)}


def activity_attendance(*, activity: Activity, status: str = "") -> QuerySet[Attendance]:
    """Who was signed in for an activity, by organization."""
    rows = Attendance.objects.filter(activity=activity).select_related("person__org")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("person__org__path", "person__number")


def attendance_counts(*, activity: Activity) -> dict[str, int]:
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    for row in Attendance.objects.filter(activity=activity).values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def activity_attachments(*, activity: Activity) -> QuerySet[Attachment]:
    return Attachment.objects.filter(activity=activity, removed_at__isnull=True).order_by("uploaded_at", "id")


def attachment_for_download(*, scope: Scope, activity_number: str, attachment_id: int) -> Attachment:
    """An attachment of an activity in scope; outside the scope it answers as a missing one."""
    activity = access_activity(scope=scope, number=activity_number)
    attachment = activity_attachments(activity=activity).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(LearningError.ATTACHMENT_NOT_FOUND, f"附件 {attachment_id} 不存在")
    return attachment


def claim_list(*, scope: Scope, status: str = "", org_path: str = "") -> QuerySet[LearningClaim]:
    """Claims of the people in scope (an administrator's queue to certify, or one's own)."""
    scope.require_business_data()
    qs = LearningClaim.objects.select_related("person__org").filter(scope.person_q("person__"))
    if status:
        qs = qs.filter(status=status)
    if org_path:
        qs = qs.filter(person__org__path__startswith=org_path)
    return qs.order_by("-submitted_at", "-id")


@dataclass(frozen=True)
class LedgerEntry:
    """One line of a person's archive: a source, what it counted for, and why."""

    source: str  # 参加记录 / 学时申报 / 网络学习 / 考试
    reference: str  # activity number, claim id, the online day's date or the exam's code
    kind: str
    title: str
    start_date: date
    hours: Decimal
    days: Decimal
    off_job: bool
    content_areas: tuple[str, ...]
    counted: bool
    reason: str


@dataclass
class Archive:
    """学习档案: a person's year, every record and the totals by kind and by content area."""

    person: Person
    year: int
    entries: list[LedgerEntry] = field(default_factory=list)

    def _counted(self) -> list[LedgerEntry]:
        return [e for e in self.entries if e.counted]

    @property
    def total_hours(self) -> Decimal:
        return sum((e.hours for e in self._counted()), Decimal(0))

    @property
    def total_days(self) -> Decimal:
        return sum((e.days for e in self._counted()), Decimal(0))

    def by_kind(self) -> dict[str, tuple[Decimal, Decimal]]:
        totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for entry in self._counted():
            totals[entry.kind][0] += entry.hours
            totals[entry.kind][1] += entry.days
        return {kind: (hours, days) for kind, (hours, days) in sorted(totals.items())}

    def by_area(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for entry in self._counted():
            for area in entry.content_areas:
                totals[area] += entry.hours
        return dict(sorted(totals.items()))


def person_archive(*, scope: Scope, person: Person, year: int) -> Archive:
    """The archive of a person already fetched through access_person: every record of the year, explained."""
    rules = default_rules()
    archive = Archive(person=person, year=year)
    rows = (
        Attendance.objects.filter(person=person, activity__start_date__year=year)
        .select_related("activity")
        .prefetch_related("activity__area_rows")
        .order_by("activity__start_date", "activity_id")
    )
    for row in rows:
        activity = row.activity
        present = row.status == AttendanceStatus.PRESENT
        hours, why = credited_hours(attendance_hours=row.hours, activity_hours=activity.hours, kind=activity.kind,
                                    length_days=activity.length_days, rules=rules)
        days = row.days if row.days is not None else Decimal(activity.length_days)
        archive.entries.append(LedgerEntry(
            source="参加记录", reference=activity.number, kind=activity.kind, title=activity.topic,
            start_date=activity.start_date, hours=hours if present else Decimal(0),
            days=days if present else Decimal(0), off_job=activity.off_job,
            content_areas=tuple(a.area for a in activity.area_rows.all()), counted=present,
            reason=why if present else f"{row.status}，不计学时",
        ))
    for claim in LearningClaim.objects.filter(person=person, start_date__year=year).order_by("start_date", "id"):
        certified = claim.status == ClaimStatus.CERTIFIED
        decided = f"{claim.decided_at:%Y-%m-%d}" if claim.decided_at else ""
        reason = {
            ClaimStatus.CERTIFIED: f"{claim.decided_by} 于 {decided} 认定",
            ClaimStatus.PENDING: "待所在组织认定，尚不计入",
            ClaimStatus.REFUSED: f"不予认定：{claim.refusal_reason}",
        }[ClaimStatus(claim.status)]
        archive.entries.append(LedgerEntry(
            source="学时申报", reference=str(claim.pk), kind=claim.kind, title=claim.title, start_date=claim.start_date,
            hours=claim.hours if certified else Decimal(0), days=claim.days if certified else Decimal(0),
            off_job=claim.off_job, content_areas=(), counted=certified, reason=reason,
        ))
    for credit in PlatformCredit.objects.filter(person=person, date__year=year).order_by("date", "id"):
        archive.entries.append(LedgerEntry(
            source=PLATFORM_SOURCE_LABELS[PlatformSource(credit.source)], reference=credit.reference,
            kind=credit.kind, title=credit.title, start_date=credit.date, hours=credit.hours, days=Decimal(0),
            off_job=False, content_areas=(), counted=True, reason=_platform_reason(credit),
        ))
    archive.entries.sort(key=lambda e: (e.start_date, e.source, e.reference))
    return archive


# How the archive names the platform's own credit: online time as 网络学习, an exam passed as 考试.
PLATFORM_SOURCE_LABELS = {PlatformSource.ONLINE: "网络学习", PlatformSource.EXAM: "考试"}


def _platform_reason(credit: PlatformCredit) -> str:
    if credit.source == PlatformSource.EXAM:
        return f"考试《{credit.title}》合格（平台记录）"
    minutes = int(credit.hours * 60)
    return f"在线学习 {minutes} 分钟（平台计时，每满 6 分钟计 0.1 学时）"


# -- 主题教育 and 学习计划 ---------------------------------------------------------------------------
def campaign_list(*, scope: Scope) -> QuerySet[Campaign]:
    """Campaigns whose covered subtree meets the scope, the latest first."""
    scope.require_business_data()
    return (
        Campaign.objects.select_related("organizer", "covers")
        .prefetch_related("requirements")
        .filter(campaign_scope_q(scope))
        .order_by("-start_date", "code")
    )


def campaign_activities(*, scope: Scope, campaign: Campaign) -> QuerySet[Activity]:
    """The campaign's activities hosted inside the scope."""
    scope.require_business_data()
    return (
        Activity.objects.select_related("host")
        .filter(scope.org_q("host__"), campaign=campaign)
        .order_by("-start_date", "-id")
    )


def campaign_default_under(*, scope: Scope, campaign: Campaign) -> Organization:
    """Where a viewer's roll-up starts: the covered organization, or the viewer's own part of its subtree."""
    if scope.covers_path(campaign.covers.path):
        return campaign.covers
    inside = [path for path in scope.read_paths if path.startswith(campaign.covers.path)]
    org = Organization.objects.filter(path__in=inside[:1]).first()
    if org is None:
        raise NotFound(LearningError.CAMPAIGN_NOT_FOUND, f"主题教育编号 {campaign.code} 不存在")
    return org


@dataclass(frozen=True)
class ProgressRow:
    """One organization's part of a campaign: itself alone (本级), a child's subtree, or the total."""

    code: str
    name: str
    level: str
    scope_label: str  # 本级 / 含下级 / 合计
    owing: int = 0  # organizations at a level the campaign asks something of
    met: int = 0  # of those, the ones that did all of it
    participants: int = 0  # people with a 出席 at the campaign's activities
    members: int = 0  # active people

    @property
    def met_share(self) -> float | None:
        return round(self.met / self.owing, 4) if self.owing else None

    @property
    def participation_share(self) -> float | None:
        return round(self.participants / self.members, 4) if self.members else None


@dataclass(frozen=True)
class CampaignProgress:
    campaign: Campaign
    under: Organization
    requirements: list[tuple[str, str, int]]
    rows: list[ProgressRow]
    total: ProgressRow


def campaign_progress(*, scope: Scope, campaign: Campaign, under: Organization) -> CampaignProgress:
    """Roll a campaign up for `under` and each of its children, in a fixed handful of queries at any size.

    An organization owes the requirements of its level; it has met them when it hosted, within the period,
    at least the minimum of the campaign's activities of each required kind.
    """
    scope.require_business_data()
    if not scope.covers_path(under.path):
        raise NotFound(OrgError.NOT_FOUND, f"组织编码 {under.code} 不存在")
    if not under.path.startswith(campaign.covers.path):
        raise DomainError(LearningError.CAMPAIGN_INVALID,
                          f"组织 {under.code}（{under.name}）不在主题教育“{campaign.name}”的覆盖范围之内", field="org")
    requirements = list(campaign.requirements.order_by("level", "kind").values_list("level", "kind", "minimum"))
    by_level: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for level, kind, minimum in requirements:
        by_level[level].append((kind, minimum))
    width = len(under.path) + 4  # treebeard's steplen: a child's path is its parent's and 4 more characters

    def branch(path: str) -> str:
        return path[:width]

    held = (
        Activity.objects.filter(campaign=campaign, host__path__startswith=under.path,
                                kind__in={kind for _, kind, _ in requirements},
                                start_date__gte=campaign.start_date, start_date__lte=campaign.end_date)
        .order_by().values_list("host_id", "kind").annotate(n=Count("id"))
    )
    counts = {(host_id, kind): n for host_id, kind, n in held}
    owing: dict[str, int] = defaultdict(int)
    met: dict[str, int] = defaultdict(int)
    owing_orgs = (
        Organization.objects.filter(path__startswith=under.path, level__in=list(by_level), is_active=True)
        .values_list("id", "path", "level")
    )
    for org_id, path, level in owing_orgs.iterator(chunk_size=10000):
        key = branch(path)
        owing[key] += 1
        if all(counts.get((org_id, kind), 0) >= minimum for kind, minimum in by_level[level]):
            met[key] += 1
    present = (
        Attendance.objects.filter(activity__campaign=campaign, status=AttendanceStatus.PRESENT,
                                  activity__start_date__gte=campaign.start_date,
                                  activity__start_date__lte=campaign.end_date,
                                  person__is_active=True, person__org__path__startswith=under.path)
        .annotate(branch=Substr("person__org__path", 1, width)).order_by()
        .values("branch").annotate(n=Count("person_id", distinct=True)).values_list("branch", "n")
    )
    participants = dict(present)
    members = dict(
        Person.objects.filter(is_active=True, org__path__startswith=under.path)
        .annotate(branch=Substr("org__path", 1, width)).order_by()
        .values("branch").annotate(n=Count("id")).values_list("branch", "n")
    )
    children = (
        Organization.objects.filter(path__startswith=under.path, depth=under.depth + 1, is_active=True)
        .order_by("path").values_list("path", "code", "name", "level")
    )

    def row(path: str, code: str, name: str, level: str, label: str) -> ProgressRow:
        return ProgressRow(code=code, name=name, level=level, scope_label=label, owing=owing[path], met=met[path],
                           participants=participants.get(path, 0), members=members.get(path, 0))

    rows = [row(under.path, under.code, under.name, under.level, "本级")]
    rows += [row(path, code, name, level, "含下级") for path, code, name, level in children]
    total = ProgressRow(
        code=under.code, name=under.name, level=under.level, scope_label="合计",
        owing=sum(owing.values()), met=sum(met.values()), participants=sum(participants.values()),
        members=sum(members.values()),
    )
    return CampaignProgress(campaign=campaign, under=under, requirements=requirements, rows=rows, total=total)


def study_plan_for(*, scope: Scope, org: Organization, year: int) -> StudyPlan | None:
    """The plan of an organization already fetched through access_org, if it has one for the year."""
    scope.require_business_data()
    return StudyPlan.objects.filter(org=org, year=year).prefetch_related("items").first()


@dataclass(frozen=True)
class PlanItemProgress:
    item: StudyPlanItem
    activities: list[Activity]  # the organization's activities of the item's kind in its quarter
    done: bool


@dataclass(frozen=True)
class PlanProgress:
    plan: StudyPlan
    items: list[PlanItemProgress]

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.done)

    @property
    def share(self) -> float | None:
        return round(self.done / len(self.items), 4) if self.items else None


def _quarter(day: date) -> int:
    return (day.month - 1) // 3 + 1


def study_plan_progress(*, plan: StudyPlan) -> PlanProgress:
    """Plan against record: an item is done when the organization hosted an activity of its kind in its quarter.

    Two items of one kind in one quarter need two such activities.
    """
    items = sorted(plan.items.all(), key=lambda i: (i.quarter, i.pk))
    held: dict[tuple[int, str], list[Activity]] = defaultdict(list)
    activities = Activity.objects.filter(host_id=plan.org_id, start_date__year=plan.year,
                                         kind__in={i.kind for i in items}).order_by("start_date", "id")
    for activity in activities:
        held[(_quarter(activity.start_date), activity.kind)].append(activity)
    used: dict[tuple[int, str], int] = defaultdict(int)
    progress = []
    for item in items:
        key = (item.quarter, item.kind)
        progress.append(PlanItemProgress(item=item, activities=held[key], done=len(held[key]) > used[key]))
        used[key] += 1
    return PlanProgress(plan=plan, items=progress)


def personal_plan_for(*, scope: Scope, person: Person, year: int) -> PersonalPlan | None:
    """The plan of a person already fetched through access_person, if they have one for the year."""
    scope.require_business_data()
    return PersonalPlan.objects.filter(person=person, year=year).first()


@dataclass(frozen=True)
class GoalProgress:
    """A topic or a book of a personal plan, and the counted records whose title or content names it."""

    goal: str
    entries: list[LedgerEntry]


@dataclass(frozen=True)
class PersonalProgress:
    plan: PersonalPlan | None
    archive: Archive
    topics: list[GoalProgress]
    books: list[GoalProgress]

    @property
    def goal_hours(self) -> Decimal:
        return self.plan.goal_hours if self.plan else Decimal(0)

    @property
    def credited_hours(self) -> Decimal:
        return self.archive.total_hours

    @property
    def share(self) -> float | None:
        return round(float(self.credited_hours / self.goal_hours), 4) if self.goal_hours else None


def _naming(goal: str, entries: list[LedgerEntry]) -> list[LedgerEntry]:
    core = goal.strip("《》 ")
    return [e for e in entries if e.counted and core and (core in e.title or core in e.content_areas)]


def personal_plan_progress(*, scope: Scope, person: Person, year: int) -> PersonalProgress:
    """个人自学计划 against the 学习档案: goal hours against credited hours, and the records for each topic and book."""
    plan = personal_plan_for(scope=scope, person=person, year=year)
    archive = person_archive(scope=scope, person=person, year=year)
    topics = [GoalProgress(t, _naming(t, archive.entries)) for t in (plan.topics if plan else [])]
    books = [GoalProgress(b, _naming(b, archive.entries)) for b in (plan.books if plan else [])]
    return PersonalProgress(plan=plan, archive=archive, topics=topics, books=books)


# -- 学习排名 ----------------------------------------------------------------------------------------------
def switch_open(model: type[OrgSwitch], org: Organization) -> bool:
    """Whether the organization's members see what the switch governs: its own switch, else the nearest
    above, else off."""
    step = Organization.steplen
    paths = [org.path[:end] for end in range(step, len(org.path) + 1, step)]
    switches = dict(model._default_manager.filter(org__path__in=paths).values_list("org__path", "enabled"))
    return next((switches[path] for path in reversed(paths) if path in switches), False)


def own_switch(model: type[OrgSwitch], org: Organization) -> bool | None:
    """The organization's own switch; None when it follows the level above."""
    return model._default_manager.filter(org=org).values_list("enabled", flat=True).first()


def rankings_open(org: Organization) -> bool:
    return switch_open(RankingSwitch, org)


def own_ranking_switch(org: Organization) -> bool | None:
    return own_switch(RankingSwitch, org)


@dataclass(frozen=True)
class RankingRow:
    rank: int
    number: str
    name: str
    org_name: str
    hours: Decimal


@dataclass(frozen=True)
class Ranking:
    org: Organization
    year: int
    rows: list[RankingRow]
    own: RankingRow | None  # the viewer's place, when they are one of the people ranked
    people: int  # everyone ranked, with or without credited hours


def hours_ranking(*, scope: Scope, org: Organization, year: int, limit: int = 50) -> Ranking:
    """学习排名: the people of an organization's subtree by credited hours in a year, from the ledger's totals.

    Those who administer or review the organization see it whenever they ask; a member sees their own
    organization's only while it (or the nearest level above with a switch) has switched rankings on.
    """
    scope.require_business_data()
    own_org = (Person.objects.filter(pk=scope.person_id).values_list("org_id", flat=True).first()
               if scope.person_id is not None else None)
    if not scope.covers_path(org.path) and not (own_org == org.pk and rankings_open(org)):
        raise NotFound(OrgError.NOT_FOUND, f"组织编码 {org.code} 不存在")
    people = Person.objects.filter(org__path__startswith=org.path, is_active=True)
    totals = (CreditTotal.objects.filter(year=year, person__in=people).values("person_id")
              .annotate(hours=Sum("hours_centi")).order_by("-hours", "person_id"))
    ranked = list(totals[:limit])
    named = {p.pk: p for p in people.filter(pk__in=[r["person_id"] for r in ranked]).select_related("org")}
    rows = [RankingRow(place, named[r["person_id"]].number, named[r["person_id"]].name,
                       named[r["person_id"]].org.name, Decimal(r["hours"]) / 100)
            for place, r in enumerate(ranked, start=1)]
    own = None
    person = people.filter(pk=scope.person_id).select_related("org").first() if scope.person_id else None
    if person is not None:
        own = next((row for row in rows if row.number == person.number), None)
        if own is None:
            hours = CreditTotal.objects.filter(year=year, person=person).aggregate(h=Sum("hours_centi"))["h"] or 0
            ahead = totals.filter(hours__gt=hours).count()
            own = RankingRow(ahead + 1, person.number, person.name, person.org.name, Decimal(hours) / 100)
    return Ranking(org=org, year=year, rows=rows, own=own, people=people.count())
