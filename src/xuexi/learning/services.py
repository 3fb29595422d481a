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
from xuexi.errors import DomainError, ErrorKind, Forbidden
from xuexi.learning.access import access_activity, access_claim
from xuexi.learning.errors import LearningError
from xuexi.learning.models import (
    Activity,
    ActivityContentArea,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    ClaimStatus,
    ContentArea,
    CreditRule,
    LearningClaim,
    TrainingType,
)
from xuexi.orgs.access import access_org
from xuexi.orgs.models import Organization
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
            expected = "培训须填培训类别：" + "、".join(TrainingType.values)
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
        raise DomainError(LearningError.INVALID, f"{first.value!s}：应为{first.expected}", field=first.field)


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
    activity, created = Activity.objects.update_or_create(number=data.number.strip(), defaults=values)
    _set_areas(activity, data.content_areas)
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
    audit_record(action="attendance_record", actor=actor, object_type="activity", object_id=activity.number,
                 object_repr=activity.topic, detail={"rows": len(rows)})
    return len(rows)


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
    audit_record(action="credit_rule_set", actor=actor, object_type="credit_rule", object_id=kind,
                 detail={"hours_per_session": hours_per_session, "hours_per_day": hours_per_day})
    return rule
