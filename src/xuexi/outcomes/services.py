"""Writes of learning outcomes (成果转化): each one transaction, checked against the scope, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, NotFound
from xuexi.learning import attachments
from xuexi.learning.models import Activity, ActivityKind
from xuexi.orgs.access import access_org
from xuexi.orgs.models import Organization
from xuexi.outcomes.access import access_outcome
from xuexi.outcomes.errors import OutcomeError
from xuexi.outcomes.experiences import withdraw_experience
from xuexi.outcomes.models import (
    ADOPTED_STATES,
    Adoption,
    ExperienceStatus,
    Outcome,
    OutcomeAttachment,
    OutcomeAuthor,
    OutcomeKind,
    OutcomeSource,
)
from xuexi.people.models import Person

# A research report comes from research: 专题调研 (leaders' thematic research) or 调查研究 (grassroots research).
RESEARCH_KINDS = (ActivityKind.THEMATIC_RESEARCH, ActivityKind.GRASSROOTS_RESEARCH)
EARLIEST = dt.date(2000, 1, 1)
TITLE_LIMIT = 300
SUMMARY_LIMIT = 5000
LINKS_LIMIT = 50  # activities, and authors, of one outcome


@dataclass(frozen=True)
class OutcomeFields:
    """What a recorder says about an outcome; its organization and number are not among them."""

    kind: str
    title: str
    date: dt.date
    summary: str = ""
    author_numbers: Sequence[str] = ()  # 执笔人: people of the organization or its subtree
    activity_numbers: Sequence[str] = ()  # 来源活动: activities in the recorder's scope
    adoption: str = ""  # 决策建议 only
    decision_name: str = ""
    decision_date: dt.date | None = None
    outlet: str = ""  # 媒体报道 only
    link: str = ""


def _invalid(field: str, detail: str, code: str = OutcomeError.INVALID) -> DomainError:
    return DomainError(code, detail, field=field)


def _given(value: object) -> str:
    return f"“{value}”"


def _bad(label: str, value: str, expected: str) -> str:
    """What a field is refused with: the value given, or that none was, and what is expected."""
    return f"{label}“{value}”无效：{expected}" if value.strip() else f"请填写{label}：{expected}"


def _check_proposal(fields: OutcomeFields) -> None:
    if fields.kind != OutcomeKind.PROPOSAL:
        for name, label, value in (("adoption", "采纳情况", fields.adoption),
                                   ("decision_name", "决策名称/文号", fields.decision_name),
                                   ("decision_date", "决策日期", fields.decision_date or "")):
            if str(value).strip():
                raise _invalid(name, f"{label}{_given(value)}：只有决策建议填写{label}，{fields.kind}应留空")
        return
    if fields.adoption not in Adoption.values:
        raise _invalid("adoption", _bad("采纳情况", fields.adoption, f"应为{'、'.join(Adoption.values)}之一"))
    if fields.adoption in ADOPTED_STATES:
        name = fields.decision_name.strip()
        if not name or len(name) > TITLE_LIMIT:
            expected = f"{fields.adoption}的决策建议应填写采纳它的决策名称或文号（不超过 {TITLE_LIMIT} 个字符）"
            raise _invalid("decision_name", _bad("决策名称/文号", name[:20], expected))
        if fields.decision_date is None:
            raise _invalid("decision_date", f"请填写决策日期：{fields.adoption}的决策建议应填写作出决策的日期")
        if fields.decision_date < fields.date:
            raise _invalid("decision_date", f"决策日期 {fields.decision_date.isoformat()} 早于建议日期 "
                                            f"{fields.date.isoformat()}：应不早于建议提出的日期")
        if fields.decision_date > timezone.localdate():
            raise _invalid("decision_date",
                           f"决策日期 {fields.decision_date.isoformat()} 晚于今天：应为已作出决策的日期")
        return
    for name, label, value in (("decision_name", "决策名称/文号", fields.decision_name),
                               ("decision_date", "决策日期", fields.decision_date or "")):
        if str(value).strip():
            raise _invalid(name, f"{label}{_given(value)}：采纳情况为{fields.adoption}时{label}应留空")


def _check_media(fields: OutcomeFields) -> None:
    if fields.kind != OutcomeKind.MEDIA_REPORT:
        for name, label, value in (("outlet", "媒体", fields.outlet), ("link", "链接", fields.link)):
            if value.strip():
                raise _invalid(name, f"{label}{_given(value)}：只有媒体报道填写{label}，{fields.kind}应留空")
        return
    outlet = fields.outlet.strip()
    if not outlet or len(outlet) > 200:
        expected = "媒体报道应填写刊发的媒体名称（不超过 200 个字符），如 吉林日报"
        raise _invalid("outlet", _bad("媒体", outlet[:20], expected))
    link = fields.link.strip()
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise _invalid("link", _bad("链接", link[:60], "应为 http:// 或 https:// 开头的网址，或留空")) from None
        if len(link) > 500:
            raise _invalid("link", f"链接共 {len(link)} 个字符：应不超过 500 个字符")


def check_fields(fields: OutcomeFields) -> None:
    """Every rule an outcome's own fields break, the first one raised, without touching the database."""
    if fields.kind not in OutcomeKind.values:
        raise _invalid("kind", _bad("成果类别", fields.kind, f"应为{'、'.join(OutcomeKind.values)}之一"))
    title = fields.title.strip()
    if not title or len(title) > TITLE_LIMIT:
        raise _invalid("title", _bad("标题", title[:20], f"应为不超过 {TITLE_LIMIT} 个字符的标题"))
    today = timezone.localdate()
    if not EARLIEST <= fields.date <= today:
        raise _invalid("date", f"日期 {fields.date.isoformat()} 无效：应为 {EARLIEST.isoformat()} 至今天"
                               f"（{today.isoformat()}）之间成果形成或刊发的日期")
    if len(fields.summary.strip()) > SUMMARY_LIMIT:
        raise _invalid("summary", f"内容摘要共 {len(fields.summary.strip())} 个字符：应不超过 {SUMMARY_LIMIT} 个字符")
    _check_proposal(fields)
    _check_media(fields)
    for name, label, values in (("activity_numbers", "来源活动", fields.activity_numbers),
                                ("author_numbers", "执笔人", fields.author_numbers)):
        if len(_distinct(values)) > LINKS_LIMIT:
            raise _invalid(name, f"{label}共 {len(_distinct(values))} 项：一项成果至多关联 {LINKS_LIMIT} 项")


def _distinct(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))


def _sources(scope: Scope, fields: OutcomeFields) -> list[Activity]:
    """The activities named, each in the recorder's scope and fitting the kind of outcome; refused by number."""
    numbers = _distinct(fields.activity_numbers)
    found = {a.number: a for a in Activity.objects.filter(scope.org_q("host__"), number__in=numbers)}
    for number in numbers:
        activity = found.get(number)
        if activity is None:
            # Outside the scope reads exactly as missing.
            raise _invalid("activity_numbers", f"来源活动编号 {number} 不存在：应为您管理范围内已登记的学习活动",
                           OutcomeError.ACTIVITY_REFUSED)
        if fields.kind == OutcomeKind.RESEARCH_REPORT and activity.kind not in RESEARCH_KINDS:
            raise _invalid("activity_numbers",
                           f"来源活动 {activity.number}（{activity.topic}）是{activity.kind}：调研报告应来自"
                           f"{'或'.join(RESEARCH_KINDS)}活动", OutcomeError.ACTIVITY_REFUSED)
        if activity.start_date > fields.date:
            raise _invalid("activity_numbers",
                           f"来源活动 {activity.number}（{activity.topic}）开始于 {activity.start_date.isoformat()}，"
                           f"晚于成果日期 {fields.date.isoformat()}：成果应形成于来源活动之后",
                           OutcomeError.ACTIVITY_REFUSED)
    return [found[n] for n in numbers]


def _authors(scope: Scope, org: Organization, fields: OutcomeFields) -> list[Person]:
    """The people named, each of the organization or its subtree; refused by number."""
    numbers = _distinct(fields.author_numbers)
    found = {p.number: p for p in Person.objects.select_related("org").filter(scope.person_q(), number__in=numbers)}
    for number in numbers:
        person = found.get(number)
        if person is None:
            raise _invalid("author_numbers", f"执笔人编号 {number} 不存在：应为{org.name}或其下级组织的在册人员",
                           OutcomeError.AUTHOR_REFUSED)
        if not person.org.path.startswith(org.path):
            raise _invalid("author_numbers", f"执笔人 {number}（{person.name}）属于{person.org.name}：应为{org.name}"
                                             f"或其下级组织的人员", OutcomeError.AUTHOR_REFUSED)
    return [found[n] for n in numbers]


def _values(fields: OutcomeFields) -> dict[str, object]:
    return {
        "kind": fields.kind, "title": fields.title.strip(), "date": fields.date, "summary": fields.summary.strip(),
        "adoption": fields.adoption, "decision_name": fields.decision_name.strip(),
        "decision_date": fields.decision_date, "outlet": fields.outlet.strip(), "link": fields.link.strip(),
    }


def _next_number(org: Organization, year: int) -> str:
    """The organization's next number for the year; the organization's row is locked while it is taken."""
    list(Organization.objects.select_for_update().filter(pk=org.pk).values_list("pk"))
    prefix = f"{org.code}-CG{year}-"
    taken = [int(tail) for tail in (n[len(prefix):] for n in
                                    Outcome.objects.filter(number__startswith=prefix).values_list("number", flat=True))
             if tail.isdigit()]
    return f"{prefix}{max(taken, default=0) + 1:03d}"


def _actor_name(actor: User | None) -> str:
    return actor.username if actor is not None else "系统"


@transaction.atomic
def outcome_create(*, actor: User | None, scope: Scope, org_code: str, fields: OutcomeFields) -> Outcome:
    """Record an outcome of an organization in the write scope, with the activities it came from."""
    check_fields(fields)
    org = access_org(scope=scope, code=org_code, write=True)
    sources = _sources(scope, fields)
    authors = _authors(scope, org, fields)
    now = timezone.now()
    outcome = Outcome(number=_next_number(org, fields.date.year), org=org, created_at=now, updated_at=now,
                      created_by=_actor_name(actor), updated_by=_actor_name(actor), **_values(fields))
    outcome.save(force_insert=True)
    OutcomeSource.objects.bulk_create([OutcomeSource(outcome=outcome, activity=a) for a in sources])
    OutcomeAuthor.objects.bulk_create([OutcomeAuthor(outcome=outcome, person=p) for p in authors])
    audit_record(action="outcome_create", actor=actor, object_type="outcome", object_id=outcome.number,
                 object_repr=outcome.title, detail={"org": org.code, "kind": outcome.kind,
                                                    "activities": [a.number for a in sources],
                                                    "authors": [p.number for p in authors]})
    return outcome


def _replace_links(outcome: Outcome, scope: Scope, sources: list[Activity], authors: list[Person]) -> None:
    # Links the editor cannot see (an activity a higher level linked) are not theirs to drop.
    OutcomeSource.objects.filter(outcome=outcome).filter(scope.org_q("activity__host__")).exclude(
        activity__in=sources).delete()
    kept = set(OutcomeSource.objects.filter(outcome=outcome).values_list("activity_id", flat=True))
    OutcomeSource.objects.bulk_create([OutcomeSource(outcome=outcome, activity=a) for a in sources
                                       if a.pk not in kept])
    OutcomeAuthor.objects.filter(outcome=outcome).exclude(person__in=authors).delete()
    have = set(OutcomeAuthor.objects.filter(outcome=outcome).values_list("person_id", flat=True))
    OutcomeAuthor.objects.bulk_create([OutcomeAuthor(outcome=outcome, person=p) for p in authors if p.pk not in have])


def _refuse_locked(outcome: Outcome) -> None:
    """A withdrawn outcome, and an experience in the hands of the level above, are not changed."""
    if outcome.withdrawn_at is not None:
        raise DomainError(OutcomeError.WITHDRAWN, f"成果 {outcome.number}（{outcome.title}）已撤回，不能修改",
                          kind=ErrorKind.CONFLICT)
    if outcome.status != ExperienceStatus.RECORDED:
        raise DomainError(OutcomeError.LOCKED, f"典型经验 {outcome.number}（{outcome.title}）"
                          f"{outcome.get_status_display()}，不能修改：上级退回后可以修改", kind=ErrorKind.CONFLICT)


@transaction.atomic
def outcome_update(*, actor: User | None, scope: Scope, number: str, fields: OutcomeFields) -> Outcome:
    """Change an outcome's fields and links; its organization and number stay."""
    outcome = access_outcome(scope=scope, number=number, write=True)
    _refuse_locked(outcome)
    check_fields(fields)
    sources = _sources(scope, fields)
    authors = _authors(scope, outcome.org, fields)
    values = _values(fields)
    changed = sorted(name for name, value in values.items() if getattr(outcome, name) != value)
    for name, value in values.items():
        setattr(outcome, name, value)
    outcome.updated_at = timezone.now()
    outcome.updated_by = _actor_name(actor)
    outcome.save(update_fields=[*values, "updated_at", "updated_by"])
    _replace_links(outcome, scope, sources, authors)
    audit_record(action="outcome_update", actor=actor, object_type="outcome", object_id=outcome.number,
                 object_repr=outcome.title, detail={"org": outcome.org.code, "changed": changed,
                                                    "activities": [a.number for a in sources],
                                                    "authors": [p.number for p in authors]})
    return outcome


@transaction.atomic
def outcome_attachment_add(*, actor: User, scope: Scope, number: str, name: str, data: bytes) -> OutcomeAttachment:
    """Keep a file with an outcome: its type checked by content, its size limited, stored by its hash."""
    outcome = access_outcome(scope=scope, number=number, write=True)
    if outcome.withdrawn_at is not None:
        raise DomainError(OutcomeError.WITHDRAWN, f"成果 {outcome.number}（{outcome.title}）已撤回，不能再添加附件",
                          kind=ErrorKind.CONFLICT)
    shown = attachments.display_name(name)
    file_type = attachments.detect(data, shown)
    digest = attachments.sha256_of(data)
    attachments.store(data, digest)
    attachment = OutcomeAttachment.objects.create(
        outcome=outcome, name=shown, content_type=file_type.content_type, size=len(data), sha256=digest,
        uploaded_by=actor.username,
    )
    audit_record(action="outcome_attachment_add", actor=actor, object_type="outcome", object_id=outcome.number,
                 object_repr=shown, detail={"attachment": attachment.pk, "sha256": digest, "size": len(data)})
    return attachment


@transaction.atomic
def outcome_attachment_remove(*, actor: User, scope: Scope, number: str, attachment_id: int) -> OutcomeAttachment:
    """Hide an attachment from the outcome; the file and the record stay."""
    outcome = access_outcome(scope=scope, number=number, write=True)
    attachment = OutcomeAttachment.objects.filter(outcome=outcome, pk=attachment_id, removed_at__isnull=True).first()
    if attachment is None:
        raise NotFound(OutcomeError.ATTACHMENT_NOT_FOUND, f"附件 {attachment_id} 不存在")
    attachment.removed_at = timezone.now()
    attachment.removed_by = actor.username
    attachment.save(update_fields=["removed_at", "removed_by"])
    audit_record(action="outcome_attachment_remove", actor=actor, object_type="outcome", object_id=outcome.number,
                 object_repr=attachment.name, detail={"attachment": attachment.pk})
    return attachment


WITHDRAWAL_LIMIT = 500


@transaction.atomic
def outcome_withdraw(*, actor: User | None, scope: Scope, number: str, reason: str) -> Outcome:
    """撤回: mark an outcome withdrawn (it counts no more); a published 典型经验 leaves the library with it."""
    found = access_outcome(scope=scope, number=number, write=True)
    outcome = Outcome.objects.select_for_update(of=("self",)).select_related("org").get(pk=found.pk)
    if outcome.withdrawn_at is not None:
        raise DomainError(OutcomeError.WITHDRAWN, f"成果 {outcome.number}（{outcome.title}）已于 "
                          f"{timezone.localtime(outcome.withdrawn_at):%Y-%m-%d %H:%M} 撤回", kind=ErrorKind.CONFLICT)
    text = reason.strip()
    if not text or len(text) > WITHDRAWAL_LIMIT:
        detail = (f"撤回原因共 {len(text)} 个字符：应不超过 {WITHDRAWAL_LIMIT} 个字符" if text
                  else f"请填写撤回原因：说明为什么撤回（不超过 {WITHDRAWAL_LIMIT} 个字符）")
        raise _invalid("reason", detail, OutcomeError.REASON_REQUIRED)
    outcome.withdrawn_at, outcome.withdrawn_by, outcome.withdrawal_reason = timezone.now(), _actor_name(actor), text
    outcome.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    withdraw_experience(outcome, actor, text)
    audit_record(action="outcome_withdraw", actor=actor, object_type="outcome", object_id=outcome.number,
                 object_repr=outcome.title, detail={"org": outcome.org.code, "kind": outcome.kind,
                                                    "status": outcome.status, "reason": text,
                                                    "library_item": outcome.library_item_id})
    return outcome
