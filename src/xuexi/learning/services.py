"""Writes of learning records: each one transaction, checked against the scope, audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, Forbidden, NotFound
from xuexi.learning import attachments, totals
from xuexi.learning.access import access_activity, access_campaign, access_claim
from xuexi.learning.errors import LearningError
from xuexi.learning.models import (
    Activity,
    ActivityContentArea,
    ActivityKind,
    Attachment,
    AttachmentKind,
    Attendance,
    AttendanceStatus,
    Campaign,
    CampaignRequirement,
    ClaimStatus,
    ContentArea,
    CreditRule,
    LearningClaim,
    OrgSwitch,
    PersonalPlan,
    PlatformCredit,
    PlatformSource,
    RankingSwitch,
    StudyPlan,
    StudyPlanItem,
    TrainingType,
)
from xuexi.orgs.access import access_org
from xuexi.orgs.models import Level, Organization
from xuexi.people.access import access_person
from xuexi.people.models import Person

HOURS_PER_DAY_LIMIT = Decimal(24)


@dataclass(frozen=True)
class ActivityInput:
    number: str
    kind: str
    host_code: str
    start_date: date
    topic: str
    end_date: date | None = None
    hours: Decimal | None = None
    content_areas: Sequence[str] = ()
    training_type: str = ""
    off_job: bool = False
    speaker: str = ""
    speaker_number: str = ""
    venue: str = ""


@dataclass(frozen=True)
class AttendanceInput:
    person_number: str
    status: str = AttendanceStatus.PRESENT
    hours: Decimal | None = None
    days: Decimal | None = None


@dataclass
class Problem:
    """One thing wrong with an input, named by field: the import adds the row and column."""

    field: str
    value: object
    expected: str


def activity_problems(data: ActivityInput) -> list[Problem]:
    """Every rule an activity's own fields break, without touching the database."""
    problems: list[Problem] = []
    if not data.number.strip() or len(data.number) > 64:
        problems.append(Problem("number", data.number, "不为空、不超过 64 个字符的活动编号"))
    if data.kind not in ActivityKind.values:
        problems.append(Problem("kind", data.kind, "、".join(ActivityKind.values) + " 之一"))
    if not data.topic.strip():
        problems.append(Problem("topic", data.topic, "活动主题"))
    end = data.end_date or data.start_date
    if end < data.start_date:
        problems.append(Problem("end_date", end.isoformat(), f"不早于开始日期 {data.start_date.isoformat()}"))
    elif data.hours is not None:
        days = (end - data.start_date).days + 1
        if data.hours < 0 or data.hours > HOURS_PER_DAY_LIMIT * days:
            limit = HOURS_PER_DAY_LIMIT * days
            problems.append(Problem("hours", str(data.hours), f"0 到 {limit} 之间的数（每天至多 24 学时）"))
    for area in data.content_areas:
        if area not in ContentArea.values:
            problems.append(Problem("content_areas", area, "、".join(ContentArea.values) + " 之一"))
    if data.kind == ActivityKind.TRAINING:
        if data.training_type not in TrainingType.values:
            expected = "、".join(TrainingType.values) + " 之一（培训须填培训类别）"
            problems.append(Problem("training_type", data.training_type, expected))
    else:
        if data.training_type:
            problems.append(Problem("training_type", data.training_type, "只有培训填写培训类别"))
        if data.off_job:
            problems.append(Problem("off_job", "是", "只有培训填写是否脱产"))
    return problems


def _raise_first(problems: list[Problem]) -> None:
    if problems:
        first = problems[0]
        given = f"“{first.value!s}”" if str(first.value).strip() else "未填写"
        raise DomainError(LearningError.INVALID, f"{given}：应为{first.expected}", field=first.field)


def _set_areas(activity: Activity, areas: Sequence[str]) -> None:
    ActivityContentArea.objects.filter(activity=activity).exclude(area__in=list(areas)).delete()
    have = set(ActivityContentArea.objects.filter(activity=activity).values_list("area", flat=True))
    ActivityContentArea.objects.bulk_create(
        [ActivityContentArea(activity=activity, area=a) for a in dict.fromkeys(areas) if a not in have]
    )


@transaction.atomic
def activity_save(*, actor: User | None, scope: Scope, data: ActivityInput) -> Activity:
    """Record an activity, or change the one with this number: its host must be in the write scope."""
    _raise_first(activity_problems(data))
    host = access_org(scope=scope, code=data.host_code, write=True)
    speaker_person: Person | None = None
    if data.speaker_number:
        speaker_person = access_person(scope=scope, number=data.speaker_number)
    existing = Activity.objects.filter(number=data.number).select_related("host").first()
    if existing is not None and not scope.covers_path(existing.host.path, write=True):
        raise DomainError(LearningError.NUMBER_TAKEN, f"活动编号 {data.number} 已被使用", field="number",
                          kind=ErrorKind.CONFLICT)
    values = {
        "kind": data.kind, "host": host, "start_date": data.start_date,
        "end_date": data.end_date or data.start_date, "hours": data.hours, "topic": data.topic.strip(),
        "training_type": data.training_type, "off_job": data.off_job,
        "speaker": data.speaker.strip() or (speaker_person.name if speaker_person else ""),
        "speaker_person": speaker_person, "venue": data.venue.strip(), "updated_at": timezone.now(),
    }
    # What the activity counted for before the change, and after it, is brought up to date.
    touched = totals.activity_touches(existing) if existing is not None else totals.Touched()
    activity, created = Activity.objects.update_or_create(number=data.number.strip(), defaults=values)
    _set_areas(activity, data.content_areas)
    totals.refresh(totals.activity_touches(activity, touched))
    audit_record(action="activity_create" if created else "activity_update", actor=actor,
                 object_type="activity", object_id=activity.number, object_repr=activity.topic,
                 detail={"host": host.code, "kind": activity.kind})
    return activity


@transaction.atomic
def attendance_record(
    *, actor: User | None, scope: Scope, activity_number: str, entries: Sequence[AttendanceInput]
) -> int:
    """Sign in people for an activity (batch): anyone in the recorder's scope, since a training draws widely.

    A branch secretary records for members who have no phone. Re-recording a person updates their row.
    """
    activity = access_activity(scope=scope, number=activity_number, write=True)
    numbers = [e.person_number for e in entries]
    if len(set(numbers)) != len(numbers):
        raise DomainError(LearningError.INVALID, "同一人员在一次登记中出现了两次", field="person_number")
    people = {p.number: p for p in Person.objects.filter(scope.person_q(), number__in=numbers)}
    missing = [n for n in numbers if n not in people]
    if missing:
        raise DomainError(LearningError.INVALID, f"人员编号 {'、'.join(missing[:10])} 不存在", field="person_number")
    for entry in entries:
        if entry.status not in AttendanceStatus.values:
            raise DomainError(LearningError.INVALID, f"出勤“{entry.status}”无效，应为出席、缺席或请假", field="status")
        for name, value in (("hours", entry.hours), ("days", entry.days)):
            if value is not None and value < 0:
                raise DomainError(LearningError.INVALID, f"{value} 无效，应为不小于 0 的数", field=name)
    now = timezone.now()
    rows = [Attendance(activity=activity, person=people[e.person_number], status=e.status, hours=e.hours,
                       days=e.days, recorded_at=now, recorded_by_id=actor.pk if actor else None) for e in entries]
    Attendance.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["activity", "person"],
        update_fields=["status", "hours", "days", "recorded_at", "recorded_by_id"],
    )
    touched = totals.Touched()
    touched.add_org(activity.host_id, activity.start_date.year)  # its central group's presence
    for row in rows:
        touched.add_person(row.person.pk, activity.start_date.year)
    totals.refresh(touched)
    audit_record(action="attendance_record", actor=actor, object_type="activity", object_id=activity.number,
                 object_repr=activity.topic, detail={"rows": len(rows)})
    return len(rows)


@transaction.atomic
def attendance_remove(*, actor: User | None, scope: Scope, activity_number: str, person_number: str) -> None:
    """Take back a person wrongly signed in (the row goes; the audit log keeps what it was)."""
    activity = access_activity(scope=scope, number=activity_number, write=True)
    row = Attendance.objects.filter(activity=activity, person__number=person_number).select_related("person").first()
    if row is None:
        raise DomainError(LearningError.INVALID, f"人员编号 {person_number} 未登记参加该活动", field="person_number")
    row.delete()
    touched = totals.Touched()
    touched.add_org(activity.host_id, activity.start_date.year)
    touched.add_person(row.person.pk, activity.start_date.year)
    totals.refresh(touched)
    audit_record(action="attendance_remove", actor=actor, object_type="activity", object_id=activity.number,
                 object_repr=activity.topic, detail={"person": person_number, "status": row.status})


@transaction.atomic
def attachment_add(
    *, actor: User, scope: Scope, activity_number: str, name: str, data: bytes, kind: str = AttachmentKind.OTHER
) -> Attachment:
    """Keep a file with an activity: its type checked by content, its size limited, stored by its hash."""
    activity = access_activity(scope=scope, number=activity_number, write=True)
    if kind not in AttachmentKind.values:
        raise DomainError(LearningError.INVALID, f"附件类别“{kind}”无效，应为{'、'.join(AttachmentKind.values)}之一",
                          field="kind")
    shown = attachments.display_name(name)
    file_type = attachments.detect(data, shown)
    digest = attachments.sha256_of(data)
    attachments.store(data, digest)
    attachment = Attachment.objects.create(
        activity=activity, kind=kind, name=shown, content_type=file_type.content_type, size=len(data),
        sha256=digest, uploaded_by=actor.username,
    )
    audit_record(action="attachment_add", actor=actor, object_type="activity", object_id=activity.number,
                 object_repr=shown, detail={"attachment": attachment.pk, "sha256": digest, "size": len(data)})
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, scope: Scope, activity_number: str, attachment_id: int) -> Attachment:
    """Hide an attachment from the activity; the file and the record stay, as evidence."""
    activity = access_activity(scope=scope, number=activity_number, write=True)
    attachment = Attachment.objects.filter(activity=activity, pk=attachment_id, removed_at__isnull=True).first()
    if attachment is None:
        raise NotFound(LearningError.ATTACHMENT_NOT_FOUND, f"附件 {attachment_id} 不存在")
    attachment.removed_at = timezone.now()
    attachment.removed_by = actor.username
    attachment.save(update_fields=["removed_at", "removed_by"])
    audit_record(action="attachment_remove", actor=actor, object_type="activity", object_id=activity.number,
                 object_repr=attachment.name, detail={"attachment": attachment.pk})
    return attachment


@transaction.atomic
def claim_submit(
    *, actor: User, scope: Scope, title: str, start_date: date, hours: Decimal,
    end_date: date | None = None, days: Decimal = Decimal(0), kind: str = ActivityKind.SELF_STUDY,
    off_job: bool = False, evidence: str = "",
) -> LearningClaim:
    """A person declares their own learning (个人自学, or learning elsewhere); it waits for certification."""
    if scope.person_id is None:
        raise Forbidden(LearningError.INVALID, "只有关联了人员的账户可以申报学时")
    if not title.strip():
        raise DomainError(LearningError.INVALID, "请填写学习内容", field="title")
    if hours < 0 or days < 0:
        raise DomainError(LearningError.INVALID, "学时和天数不能为负数", field="hours")
    if kind not in ActivityKind.values:
        raise DomainError(LearningError.INVALID, f"类型“{kind}”无效", field="kind")
    claim = LearningClaim.objects.create(
        person_id=scope.person_id, kind=kind, title=title.strip(), start_date=start_date,
        end_date=end_date or start_date, hours=hours, days=days, off_job=off_job and kind == ActivityKind.TRAINING,
        evidence=evidence.strip(),
    )
    audit_record(action="claim_submit", actor=actor, object_type="claim", object_id=str(claim.pk),
                 object_repr=claim.title)
    return claim


@transaction.atomic
def claim_decide(*, actor: User, scope: Scope, claim_id: int, certify: bool, reason: str = "") -> LearningClaim:
    """学时认定: an administrator of the person's organization certifies a claim, or refuses it saying why."""
    claim = access_claim(scope=scope, claim_id=claim_id, write=True)
    if claim.status != ClaimStatus.PENDING:
        raise DomainError(LearningError.CLAIM_DECIDED, f"该申报已{claim.get_status_display()}，不能再次处理",
                          kind=ErrorKind.CONFLICT)
    if not certify and not reason.strip():
        raise DomainError(LearningError.INVALID, "不予认定时须说明理由", field="reason")
    claim.status = ClaimStatus.CERTIFIED if certify else ClaimStatus.REFUSED
    claim.decided_at = timezone.now()
    claim.decided_by = actor.display_name or actor.username
    claim.refusal_reason = "" if certify else reason.strip()[:300]
    claim.save(update_fields=["status", "decided_at", "decided_by", "refusal_reason"])
    touched = totals.Touched()
    touched.add_person(claim.person_id, claim.start_date.year)
    totals.refresh(touched)
    audit_record(action="claim_certify" if certify else "claim_refuse", actor=actor, object_type="claim",
                 object_id=str(claim.pk), object_repr=claim.title)
    return claim


@transaction.atomic
def credit_rule_set(
    *, actor: User | None, scope: Scope, kind: str, hours_per_session: Decimal, hours_per_day: Decimal | None = None
) -> CreditRule:
    """学时认定规则: the province (an administrator of the root) sets a kind's default credit."""
    root = Organization.objects.filter(depth=1).first()
    if root is None or not scope.covers_path(root.path, write=True):
        raise Forbidden(LearningError.RULE_FORBIDDEN, "学时认定规则由省级组织管理员设置")
    if kind not in ActivityKind.values:
        raise DomainError(LearningError.INVALID, f"活动类型“{kind}”无效", field="kind")
    if hours_per_session < 0 or (hours_per_day is not None and not 0 <= hours_per_day <= HOURS_PER_DAY_LIMIT):
        raise DomainError(LearningError.INVALID, "学时应在 0 到 24 之间", field="hours_per_session")
    rule, _ = CreditRule.objects.update_or_create(kind=kind, defaults={
        "hours_per_session": hours_per_session, "hours_per_day": hours_per_day, "updated_at": timezone.now(),
        "updated_by": actor.username if actor else "系统",
    })
    totals.rebuild_kind(kind)
    audit_record(action="credit_rule_set", actor=actor, object_type="credit_rule", object_id=kind,
                 detail={"hours_per_session": hours_per_session, "hours_per_day": hours_per_day})
    return rule


# -- 主题教育 and 学习计划 ---------------------------------------------------------------------------
YEAR_RANGE = range(2000, 2101)
LIST_ENTRY_LIMIT = 200
GOAL_HOURS_LIMIT = Decimal(2000)


@dataclass(frozen=True)
class CampaignInput:
    code: str
    name: str
    start_date: date
    end_date: date
    organizer_code: str
    covers_code: str
    themes: Sequence[str] = ()
    description: str = ""
    requirements: Sequence[tuple[str, str, int]] = ()  # (组织层级, 活动类型, 至少次数)


@dataclass(frozen=True)
class PlanItemInput:
    quarter: int
    kind: str
    topic: str
    content_areas: Sequence[str] = ()


def _invalid(code: str, field: str, label: str, value: object, expected: str, row: int | None = None) -> DomainError:
    return DomainError(code, f"{label}“{value}”无效，应为{expected}", field=field, row=row)


def _clean_list(values: Sequence[str], *, code: str, field: str, label: str) -> list[str]:
    """Entries of a list field, trimmed, blank ones dropped, each once, in the order given."""
    cleaned = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    for value in cleaned:
        if len(value) > LIST_ENTRY_LIMIT:
            raise _invalid(code, field, label, value[:20] + "…", f"不超过 {LIST_ENTRY_LIMIT} 个字符的一项")
    if len(cleaned) > LIST_ENTRY_LIMIT:
        raise DomainError(code, f"{label}共 {len(cleaned)} 项，至多 {LIST_ENTRY_LIMIT} 项", field=field)
    return cleaned


def _writable_org(scope: Scope, code: str, field: str) -> Organization:
    try:
        return access_org(scope=scope, code=code, write=True)
    except DomainError as exc:
        exc.field = field  # a form shows the refusal beside the field that named the organization
        raise


def _check_campaign_fields(data: CampaignInput) -> None:
    bad = LearningError.CAMPAIGN_INVALID
    if not data.code.strip() or len(data.code.strip()) > 64:
        raise _invalid(bad, "code", "编号", data.code, "不为空、不超过 64 个字符的编号")
    if not data.name.strip() or len(data.name.strip()) > 200:
        raise _invalid(bad, "name", "名称", data.name, "不为空、不超过 200 个字符的名称")
    if data.end_date < data.start_date:
        raise _invalid(bad, "end_date", "结束日期", data.end_date.isoformat(),
                       f"不早于开始日期 {data.start_date.isoformat()}")
    seen: set[tuple[str, str]] = set()
    for level, kind, minimum in data.requirements:
        if level not in Level.values:
            raise _invalid(bad, "requirements", "组织层级", level, "、".join(Level.values) + " 之一")
        if kind not in ActivityKind.values:
            raise _invalid(bad, "requirements", "活动类型", kind, "、".join(ActivityKind.values) + " 之一")
        if not 1 <= minimum <= 1000:
            raise _invalid(bad, "requirements", f"{level} {kind} 的至少次数", minimum, "1 到 1000 之间的整数")
        if (level, kind) in seen:
            raise DomainError(bad, f"要求“{level} {kind}”出现了两次，每个层级的每种活动只能要求一次",
                              field="requirements")
        seen.add((level, kind))


@transaction.atomic
def campaign_save(*, actor: User | None, scope: Scope, data: CampaignInput, create: bool = False) -> Campaign:
    """Create a campaign, or change the one with this code; its organizer and covered subtree must be writable.

    `create` refuses a code already in use instead of changing that campaign.
    """
    _check_campaign_fields(data)
    code = data.code.strip()
    existing = Campaign.objects.filter(code=code).select_related("covers").first()
    if existing is not None and create:
        raise DomainError(LearningError.CAMPAIGN_CODE_TAKEN, f"主题教育编号 {code} 已被使用", field="code",
                          kind=ErrorKind.CONFLICT)
    if existing is not None:
        access_campaign(scope=scope, code=code, write=True)
    organizer = _writable_org(scope, data.organizer_code.strip(), "organizer_code")
    covers = _writable_org(scope, data.covers_code.strip(), "covers_code")
    if not covers.path.startswith(organizer.path):
        raise DomainError(LearningError.CAMPAIGN_INVALID,
                          f"覆盖范围 {covers.code}（{covers.name}）不在组织单位 {organizer.code}"
                          f"（{organizer.name}）及其下级之内",
                          field="covers_code")
    if existing is not None:
        # Only what counted before and would stop counting: older records outside the period do not block a change.
        stray = (Activity.objects.filter(campaign=existing, host__path__startswith=existing.covers.path,
                                         start_date__gte=existing.start_date, start_date__lte=existing.end_date)
                 .exclude(host__path__startswith=covers.path, start_date__gte=data.start_date,
                          start_date__lte=data.end_date)
                 .order_by("start_date", "number").values_list("number", flat=True))
        numbers = list(stray[:3])
        if numbers:
            raise DomainError(LearningError.CAMPAIGN_INVALID,
                              f"已纳入本主题教育的活动 {'、'.join(numbers)} 将不在新的覆盖范围或期间之内，请先将其移出",
                              field="start_date")
    themes = _clean_list(data.themes, code=LearningError.CAMPAIGN_INVALID, field="themes", label="主题")
    campaign, created = Campaign.objects.update_or_create(code=code, defaults={
        "name": data.name.strip(), "start_date": data.start_date, "end_date": data.end_date,
        "organizer": organizer, "covers": covers, "themes": themes, "description": data.description.strip(),
    })
    CampaignRequirement.objects.filter(campaign=campaign).delete()
    CampaignRequirement.objects.bulk_create([
        CampaignRequirement(campaign=campaign, level=level, kind=kind, minimum=minimum)
        for level, kind, minimum in data.requirements
    ])
    audit_record(action="campaign_create" if created else "campaign_update", actor=actor, object_type="campaign",
                 object_id=campaign.code, object_repr=campaign.name,
                 detail={"organizer": organizer.code, "covers": covers.code,
                         "requirements": [f"{lv} {k} {m}" for lv, k, m in data.requirements]})
    return campaign


@transaction.atomic
def campaign_activity_add(*, actor: User | None, scope: Scope, campaign_code: str, activity_number: str) -> Activity:
    """Count a writable activity toward a campaign: hosted inside the covered subtree, held within the period."""
    campaign = access_campaign(scope=scope, code=campaign_code)
    activity = access_activity(scope=scope, number=activity_number, write=True)
    if not activity.host.path.startswith(campaign.covers.path):
        raise DomainError(LearningError.CAMPAIGN_INVALID,
                          f"活动 {activity.number} 的主办组织{activity.host.name}不在主题教育“{campaign.name}”"
                          f"的覆盖范围（{campaign.covers.name}及其下级）之内", field="activity_number")
    if not campaign.start_date <= activity.start_date <= campaign.end_date:
        raise DomainError(LearningError.CAMPAIGN_INVALID,
                          f"活动 {activity.number} 的日期 {activity.start_date.isoformat()} 不在主题教育期间 "
                          f"{campaign.start_date.isoformat()} 至 {campaign.end_date.isoformat()} 之内",
                          field="activity_number")
    previous = activity.campaign.code if activity.campaign else ""
    activity.campaign = campaign
    activity.updated_at = timezone.now()
    activity.save(update_fields=["campaign", "updated_at"])
    audit_record(action="campaign_activity_add", actor=actor, object_type="activity", object_id=activity.number,
                 object_repr=activity.topic, detail={"campaign": campaign.code, "previous": previous})
    return activity


@transaction.atomic
def campaign_activity_remove(
    *, actor: User | None, scope: Scope, campaign_code: str, activity_number: str
) -> Activity:
    """Take an activity out of the campaign it was counted toward."""
    campaign = access_campaign(scope=scope, code=campaign_code)
    activity = access_activity(scope=scope, number=activity_number, write=True)
    if activity.campaign_id != campaign.pk:
        raise DomainError(LearningError.CAMPAIGN_INVALID,
                          f"活动 {activity.number} 不属于主题教育“{campaign.name}”", field="activity_number")
    activity.campaign = None
    activity.updated_at = timezone.now()
    activity.save(update_fields=["campaign", "updated_at"])
    audit_record(action="campaign_activity_remove", actor=actor, object_type="activity",
                 object_id=activity.number, object_repr=activity.topic, detail={"campaign": campaign.code})
    return activity


def _check_year(year: int, code: str) -> None:
    if year not in YEAR_RANGE:
        raise _invalid(code, "year", "年度", year, f"{YEAR_RANGE.start} 到 {YEAR_RANGE.stop - 1} 之间的年份")


def _check_plan_item(row: int, item: PlanItemInput) -> None:
    bad = LearningError.PLAN_INVALID
    if not 1 <= item.quarter <= 4:
        raise _invalid(bad, "quarter", f"第 {row} 项的季度", item.quarter, "1 到 4", row=row)
    if item.kind not in ActivityKind.values:
        raise _invalid(bad, "kind", f"第 {row} 项的活动类型", item.kind, "、".join(ActivityKind.values) + " 之一",
                       row=row)
    if not item.topic.strip() or len(item.topic.strip()) > 300:
        raise _invalid(bad, "topic", f"第 {row} 项的主题", item.topic, "不为空、不超过 300 个字符的主题", row=row)
    for area in item.content_areas:
        if area not in ContentArea.values:
            raise _invalid(bad, "content_areas", f"第 {row} 项的学习内容", area,
                           "、".join(ContentArea.values) + " 之一", row=row)


@transaction.atomic
def study_plan_save(
    *, actor: User | None, scope: Scope, org_code: str, year: int, title: str, items: Sequence[PlanItemInput],
    reading_list: Sequence[str] = (),
) -> StudyPlan:
    """学习计划: write an organization's plan for a year, its items replaced by those given."""
    org = access_org(scope=scope, code=org_code, write=True)
    _check_year(year, LearningError.PLAN_INVALID)
    if not title.strip() or len(title.strip()) > 200:
        raise _invalid(LearningError.PLAN_INVALID, "title", "标题", title, "不为空、不超过 200 个字符的标题")
    for row, item in enumerate(items, start=1):
        _check_plan_item(row, item)
    books = _clean_list(reading_list, code=LearningError.PLAN_INVALID, field="reading_list", label="学习书目")
    plan, created = StudyPlan.objects.update_or_create(org=org, year=year, defaults={
        "title": title.strip(), "reading_list": books, "updated_at": timezone.now(),
    })
    StudyPlanItem.objects.filter(plan=plan).delete()
    StudyPlanItem.objects.bulk_create([
        StudyPlanItem(plan=plan, quarter=item.quarter, kind=item.kind, topic=item.topic.strip(),
                      content_areas=list(dict.fromkeys(item.content_areas)))
        for item in items
    ])
    audit_record(action="study_plan_create" if created else "study_plan_update", actor=actor,
                 object_type="study_plan", object_id=f"{org.code}/{year}", object_repr=plan.title,
                 detail={"items": len(items), "books": len(books)})
    return plan


@transaction.atomic
def personal_plan_save(
    *, actor: User | None, scope: Scope, person_number: str, year: int, goal_hours: Decimal,
    topics: Sequence[str] = (), books: Sequence[str] = (),
) -> PersonalPlan:
    """个人自学计划: the person themselves, or an administrator of their organization, sets the year's goals."""
    person = access_person(scope=scope, number=person_number)
    if person.pk != scope.person_id and not scope.covers_path(person.org.path, write=True):
        raise Forbidden(LearningError.PLAN_READ_ONLY,
                        f"只有本人或其所在组织的管理员可以修改 {person.number} 的个人自学计划")
    _check_year(year, LearningError.PLAN_INVALID)
    if not Decimal(0) <= goal_hours <= GOAL_HOURS_LIMIT:
        raise _invalid(LearningError.PLAN_INVALID, "goal_hours", "目标学时", goal_hours,
                       f"0 到 {GOAL_HOURS_LIMIT} 之间的数")
    topics = _clean_list(topics, code=LearningError.PLAN_INVALID, field="topics", label="学习专题")
    books = _clean_list(books, code=LearningError.PLAN_INVALID, field="books", label="学习书目")
    plan, created = PersonalPlan.objects.update_or_create(person=person, year=year, defaults={
        "goal_hours": goal_hours, "topics": topics, "books": books, "updated_at": timezone.now(),
    })
    audit_record(action="personal_plan_create" if created else "personal_plan_update", actor=actor,
                 object_type="personal_plan", object_id=f"{person.number}/{year}", object_repr=person.name,
                 detail={"goal_hours": goal_hours, "topics": len(topics), "books": len(books)})
    return plan


@transaction.atomic
def switch_set(model: type[OrgSwitch], *, action: str, actor: User | None, scope: Scope, org_code: str,
               enabled: bool | None) -> None:
    """An organization's switch on or off for its subtree (None: follow the level above again); audited."""
    org = access_org(scope=scope, code=org_code, write=True)
    if enabled is None:
        model._default_manager.filter(org=org).delete()
    else:
        model._default_manager.update_or_create(org=org, defaults={
            "enabled": enabled, "changed_at": timezone.now(),
            "changed_by": (actor.display_name or actor.username) if actor else "xuexi"})
    audit_record(action=action, actor=actor, object_type="org", object_id=org.code, object_repr=org.name,
                 detail={"enabled": enabled})


def ranking_switch(*, actor: User | None, scope: Scope, org_code: str, enabled: bool | None) -> None:
    """学习排名 on or off for an organization's subtree."""
    switch_set(RankingSwitch, action="ranking_switch", actor=actor, scope=scope, org_code=org_code, enabled=enabled)


# -- 平台学时: the platform's own credit (online learning time, exams passed) -------------------------------
@transaction.atomic
def platform_credit_record(
    *, person_id: int, source: str, reference: str, day: date, hours: Decimal, title: str,
    kind: str = ActivityKind.ONLINE_LEARNING,
) -> PlatformCredit:
    """Record (or raise to a new figure) what the platform credits a person for, and bring the ledger up to date.

    Not audited here: an exam's credit is part of the audited hand-in that earns it, and the online-learning
    day's figure changes with heartbeats far too often to log each (PlatformCredit.updated_at tells when).
    """
    if source not in PlatformSource.values:
        expected = "、".join(PlatformSource.values)
        raise DomainError(LearningError.INVALID, f"平台学时来源“{source}”无效，应为{expected}之一", field="source")
    if not Decimal(0) <= hours <= HOURS_PER_DAY_LIMIT:
        raise DomainError(LearningError.INVALID, f"平台学时“{hours}”无效，应在 0 到 24 之间", field="hours")
    if kind not in ActivityKind.values:
        raise DomainError(LearningError.INVALID, f"活动类型“{kind}”无效", field="kind")
    now = timezone.now()
    credit, _ = PlatformCredit.objects.update_or_create(
        person_id=person_id, source=source, reference=reference,
        defaults={"kind": kind, "date": day, "hours": hours, "title": title[:300], "updated_at": now},
        create_defaults={"kind": kind, "date": day, "hours": hours, "title": title[:300], "created_at": now,
                         "updated_at": now},
    )
    touched = totals.Touched()
    touched.add_person(person_id, day.year)
    totals.refresh(touched)
    return credit
