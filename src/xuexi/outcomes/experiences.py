"""典型经验 review writes: an organization sends its experience up; the level above approves it into its library
(入库) or returns it with a reason. Each one transaction, checked against the scope, audited, told both ways."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, Forbidden
from xuexi.library import services as library_services
from xuexi.library.models import ItemKind
from xuexi.notices.models import NotificationKind
from xuexi.notices.services import Draft, nearest_admins, notify
from xuexi.orgs.models import Organization
from xuexi.outcomes.access import access_outcome
from xuexi.outcomes.errors import OutcomeError
from xuexi.outcomes.models import ExperienceAction, ExperienceEvent, ExperienceStatus, Outcome, OutcomeKind

REASON_LIMIT = 2000
SOURCE_LIMIT = 200


def parent_of(org: Organization) -> Organization | None:
    """The level above an organization (None for the root)."""
    if org.depth <= 1:
        return None
    return Organization.objects.filter(path=org.path[: -Organization.steplen]).first()


def may_review(scope: Scope, outcome: Outcome) -> bool:
    """Whether the scope administers the level above the outcome's organization (the reviewer of its experiences)."""
    parent_path = outcome.org.path[: -Organization.steplen]
    return bool(parent_path) and scope.covers_path(parent_path, write=True)


def _actor_name(actor: User | None) -> str:
    return actor.username if actor is not None else "系统"


def _locked(outcome: Outcome) -> Outcome:
    """The outcome's row, locked for the rest of the transaction, read afresh."""
    return Outcome.objects.select_for_update(of=("self",)).select_related("org", "library_item").get(pk=outcome.pk)


def _conflict(outcome: Outcome, expected: str) -> DomainError:
    return DomainError(OutcomeError.EXPERIENCE_STATE,
                       f"典型经验 {outcome.number}（{outcome.title}）当前为“{outcome.get_status_display()}”："
                       f"{expected}",
                       kind=ErrorKind.CONFLICT)


def _refuse_withdrawn(outcome: Outcome) -> None:
    if outcome.withdrawn_at is not None:
        raise DomainError(OutcomeError.WITHDRAWN, f"成果 {outcome.number}（{outcome.title}）已撤回，不能再办理",
                          kind=ErrorKind.CONFLICT)


def _event(outcome: Outcome, action: str, org: Organization, actor: User | None, reason: str = "") -> None:
    ExperienceEvent.objects.create(outcome=outcome, action=action, org=org, reason=reason, at=timezone.now(),
                                   by=_actor_name(actor))


def _link(outcome: Outcome) -> str:
    return reverse("web:outcome_detail", args=[outcome.number])


def _tell(org: Organization, outcome: Outcome, key: str, title: str, body: str) -> None:
    notify(recipients=nearest_admins([org.pk]).get(org.pk, set()), draft=Draft(
        kind=NotificationKind.EXPERIENCE, key=f"experience-{key}:{outcome.pk}:{outcome.experience_events.count()}",
        title=title, body=body, link=_link(outcome)))


def _reviewable(scope: Scope, number: str) -> tuple[Outcome, Organization]:
    """The experience, locked, and the level above, which the scope must administer."""
    outcome = access_outcome(scope=scope, number=number)
    parent = parent_of(outcome.org)
    if parent is None or not may_review(scope, outcome):
        above = parent.name if parent is not None else "上级组织"
        raise Forbidden(OutcomeError.REVIEW_FORBIDDEN,
                        f"只有{above}的管理员可以审核{outcome.org.name}报送的典型经验 {outcome.number}")
    outcome = _locked(outcome)
    _refuse_withdrawn(outcome)
    return outcome, parent


@transaction.atomic
def experience_submit(*, actor: User | None, scope: Scope, number: str) -> Outcome:
    """报送上级: send a recorded 典型经验 of an organization in the write scope to the level above for review."""
    outcome = _locked(access_outcome(scope=scope, number=number, write=True))
    if outcome.kind != OutcomeKind.TYPICAL_EXPERIENCE:
        raise DomainError(OutcomeError.NOT_AN_EXPERIENCE,
                          f"成果 {outcome.number} 是{outcome.kind}：只有典型经验报送上级审核",
                          field="kind")
    _refuse_withdrawn(outcome)
    if outcome.status != ExperienceStatus.RECORDED:
        raise _conflict(outcome, "已报送的典型经验待上级审核，不能重复报送")
    parent = parent_of(outcome.org)
    if parent is None:
        raise DomainError(OutcomeError.EXPERIENCE_STATE, f"{outcome.org.name}没有上级组织：典型经验应报送上级组织审核",
                          kind=ErrorKind.CONFLICT)
    outcome.status = ExperienceStatus.SUBMITTED
    outcome.updated_at, outcome.updated_by = timezone.now(), _actor_name(actor)
    outcome.save(update_fields=["status", "updated_at", "updated_by"])
    _event(outcome, ExperienceAction.SUBMIT, outcome.org, actor)
    _tell(parent, outcome, "submitted", f"{outcome.org.name}报送了典型经验，待审核：{outcome.title}",
          "请审核：通过并入库，或说明原因退回修改。")
    audit_record(action="experience_submit", actor=actor, object_type="outcome", object_id=outcome.number,
                 object_repr=outcome.title, detail={"org": outcome.org.code, "to": parent.code})
    return outcome


def _publish(outcome: Outcome, parent: Organization, actor: User | None, scope: Scope, areas: Sequence[str]) -> None:
    """入库: the experience becomes an article of the approving organization's library, reaching its subtree."""
    fields = library_services.ItemFields(
        kind=ItemKind.ARTICLE, title=outcome.title, date=outcome.date, body=outcome.summary,
        source=f"典型经验（{outcome.org.name}）"[:SOURCE_LIMIT], areas=tuple(areas))
    item = library_services.item_publish(actor=actor, scope=scope, org_code=parent.code, fields=fields)
    outcome.library_item = item
    outcome.status = ExperienceStatus.PUBLISHED
    outcome.updated_at, outcome.updated_by = timezone.now(), _actor_name(actor)
    outcome.save(update_fields=["library_item", "status", "updated_at", "updated_by"])
    _event(outcome, ExperienceAction.PUBLISH, parent, actor)


@transaction.atomic
def experience_approve(*, actor: User | None, scope: Scope, number: str, comments: str = "",
                       areas: Sequence[str] = (), publish: bool = True) -> Outcome:
    """审核通过: the level above approves a submitted experience and, by default, publishes it in its library."""
    outcome, parent = _reviewable(scope, number)
    if outcome.status != ExperienceStatus.SUBMITTED:
        raise _conflict(outcome, "只有已报上级、待审核的典型经验可以审核")
    text = comments.strip()
    if len(text) > REASON_LIMIT:
        raise DomainError(OutcomeError.INVALID, f"审核意见共 {len(text)} 个字符：应不超过 {REASON_LIMIT} 个字符",
                          field="comments")
    outcome.status = ExperienceStatus.APPROVED
    outcome.updated_at, outcome.updated_by = timezone.now(), _actor_name(actor)
    outcome.save(update_fields=["status", "updated_at", "updated_by"])
    _event(outcome, ExperienceAction.APPROVE, parent, actor, text)
    if publish:
        _publish(outcome, parent, actor, scope, areas)
    done = "审核通过并入库" if publish else "审核通过"
    _tell(outcome.org, outcome, "approved", f"{parent.name}{done}了典型经验：{outcome.title}",
          text or (f"已发布到{parent.name}的学习资料库。" if publish else "尚未入库。"))
    audit_record(action="experience_approve", actor=actor, object_type="outcome", object_id=outcome.number,
                 object_repr=outcome.title, detail={"org": outcome.org.code, "by": parent.code, "publish": publish,
                                                    "library_item": outcome.library_item_id})
    return outcome


@transaction.atomic
def experience_publish(*, actor: User | None, scope: Scope, number: str, areas: Sequence[str] = ()) -> Outcome:
    """入库: publish an approved experience in the approving organization's library."""
    outcome, parent = _reviewable(scope, number)
    if outcome.status != ExperienceStatus.APPROVED:
        raise _conflict(outcome, "只有上级已审核、尚未入库的典型经验可以入库")
    _publish(outcome, parent, actor, scope, areas)
    _tell(outcome.org, outcome, "published", f"{parent.name}将典型经验入库：{outcome.title}",
          f"已发布到{parent.name}的学习资料库。")
    audit_record(action="experience_publish", actor=actor, object_type="outcome", object_id=outcome.number,
                 object_repr=outcome.title, detail={"org": outcome.org.code, "by": parent.code,
                                                    "library_item": outcome.library_item_id})
    return outcome


@transaction.atomic
def experience_return(*, actor: User | None, scope: Scope, number: str, reason: str) -> Outcome:
    """退回修改: the level above sends a submitted (or approved, not yet published) experience back with a reason."""
    outcome, parent = _reviewable(scope, number)
    if outcome.status not in (ExperienceStatus.SUBMITTED, ExperienceStatus.APPROVED):
        raise _conflict(outcome, "只有待审核或已审核、尚未入库的典型经验可以退回")
    text = reason.strip()
    if not text or len(text) > REASON_LIMIT:
        detail = (f"退回原因共 {len(text)} 个字符：应不超过 {REASON_LIMIT} 个字符" if text
                  else f"请填写退回原因：应说明需要{outcome.org.name}修改什么（不超过 {REASON_LIMIT} 个字符）")
        raise DomainError(OutcomeError.REASON_REQUIRED, detail, field="reason")
    outcome.status = ExperienceStatus.RECORDED
    outcome.updated_at, outcome.updated_by = timezone.now(), _actor_name(actor)
    outcome.save(update_fields=["status", "updated_at", "updated_by"])
    _event(outcome, ExperienceAction.RETURN, parent, actor, text)
    _tell(outcome.org, outcome, "returned", f"{parent.name}退回了典型经验，请修改：{outcome.title}", text)
    audit_record(action="experience_return", actor=actor, object_type="outcome", object_id=outcome.number,
                 object_repr=outcome.title, detail={"org": outcome.org.code, "by": parent.code, "reason": text})
    return outcome


def withdraw_experience(outcome: Outcome, actor: User | None, reason: str) -> None:
    """The experience side of 撤回 (called by services.outcome_withdraw with the row locked): its library item goes
    too, and the level above is told if the experience had reached it."""
    if outcome.kind != OutcomeKind.TYPICAL_EXPERIENCE:
        return
    _event(outcome, ExperienceAction.WITHDRAW, outcome.org, actor, reason)
    if outcome.library_item_id is not None:
        library_services.item_withdraw_with_source(actor=actor, item_id=outcome.library_item_id,
                                                   reason=f"来源典型经验 {outcome.number} 已由{outcome.org.name}撤回："
                                                          f"{reason}")
    parent = parent_of(outcome.org)
    if parent is not None and outcome.status != ExperienceStatus.RECORDED:
        _tell(parent, outcome, "withdrawn", f"{outcome.org.name}撤回了典型经验：{outcome.title}", reason)
