"""成果转化 over HTTP: an organization's learning outcomes, one outcome, recording and changing one."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError
from xuexi.orgs.access import access_org
from xuexi.outcomes import experiences, selectors, services
from xuexi.outcomes.access import access_outcome
from xuexi.outcomes.errors import OutcomeError
from xuexi.outcomes.models import Outcome, OutcomeKind
from xuexi.outcomes.schemas import (
    ActivityRefOut,
    AttachmentOut,
    AuthorOut,
    ExperienceEventOut,
    OutcomeCreateIn,
    OutcomeDetailOut,
    OutcomeIn,
    OutcomeOut,
    OutcomePage,
    ReviewIn,
    WithdrawIn,
)
from xuexi.pagination import paginate

router = Router(tags=["成果转化"])


class OutcomeQuery(Schema):
    org: str = Field(description="组织编码")
    subtree: bool = Field(default=True, description="是否包括下级组织的成果")
    year: int | None = Field(default=None, ge=2000, le=2100, description="按日期所在年度；为空时不限年度")
    kind: str = Field(default="", description="成果类别")
    withdrawn: bool = Field(default=False, description="是否包括已撤回的成果")
    page: int = 1
    page_size: int = 50


def _scope(request: HttpRequest) -> Scope:
    return Scope.for_user(request.auth)  # type: ignore[attr-defined]


def _fields(payload: OutcomeIn) -> services.OutcomeFields:
    return services.OutcomeFields(**payload.model_dump(include=set(OutcomeIn.model_fields)))


def _outcome_out(outcome: Outcome) -> OutcomeOut:
    """A row of a list: its activities and authors come prefetched by outcomes_of."""
    return OutcomeOut(
        number=outcome.number, org_code=outcome.org.code, org_name=outcome.org.name, kind=outcome.kind,
        title=outcome.title, date=outcome.date, summary=outcome.summary, adoption=outcome.adoption,
        adopted=outcome.adopted, decision_name=outcome.decision_name, decision_date=outcome.decision_date,
        outlet=outcome.outlet, link=outcome.link, status=outcome.status, library_item=outcome.library_item_id,
        withdrawn_at=outcome.withdrawn_at, withdrawal_reason=outcome.withdrawal_reason,
        activity_numbers=[a.number for a in outcome.activities.all()],
        author_numbers=[p.number for p in outcome.authors.all()],
    )


def _detail(scope: Scope, number: str) -> OutcomeDetailOut:
    outcome = access_outcome(scope=scope, number=number)
    activities, hidden = selectors.outcome_sources(scope=scope, outcome=outcome)
    authors = list(selectors.outcome_authors(outcome=outcome))
    return OutcomeDetailOut(
        number=outcome.number, org_code=outcome.org.code, org_name=outcome.org.name, kind=outcome.kind,
        title=outcome.title, date=outcome.date, summary=outcome.summary, adoption=outcome.adoption,
        adopted=outcome.adopted, decision_name=outcome.decision_name, decision_date=outcome.decision_date,
        outlet=outcome.outlet, link=outcome.link, status=outcome.status, library_item=outcome.library_item_id,
        withdrawn_at=outcome.withdrawn_at, withdrawal_reason=outcome.withdrawal_reason,
        activity_numbers=[a.number for a in activities], author_numbers=[p.number for p in authors],
        activities=[ActivityRefOut(number=a.number, kind=a.kind, topic=a.topic, start_date=a.start_date,
                                   host_code=a.host.code, host_name=a.host.name) for a in activities],
        hidden_activities=hidden,
        authors=[AuthorOut(number=p.number, name=p.name, org_code=p.org.code, org_name=p.org.name) for p in authors],
        attachments=[AttachmentOut(id=f.pk, name=f.name, content_type=f.content_type, size=f.size,
                                   uploaded_at=f.uploaded_at, uploaded_by=f.uploaded_by)
                     for f in selectors.outcome_attachments(outcome=outcome)],
        created_at=outcome.created_at, created_by=outcome.created_by, updated_at=outcome.updated_at,
        updated_by=outcome.updated_by,
        events=[ExperienceEventOut(action=e.action, org_code=e.org.code, org_name=e.org.name, reason=e.reason, at=e.at,
                                   by=e.by) for e in selectors.experience_events(outcome=outcome)],
    )


@router.get("/outcomes", response=OutcomePage, summary="学习成果列表（一个组织的，默认含下级组织）")
def outcome_list(request: HttpRequest, query: Query[OutcomeQuery]) -> OutcomePage:
    scope = _scope(request)
    org = access_org(scope=scope, code=query.org)
    if query.kind and query.kind not in OutcomeKind.values:
        raise DomainError(OutcomeError.INVALID,
                          f"成果类别“{query.kind}”无效：应为{'、'.join(OutcomeKind.values)}之一", field="kind")
    rows = selectors.outcomes_of(scope=scope, org=org, year=query.year, subtree=query.subtree, kind=query.kind,
                                withdrawn=query.withdrawn)
    page = paginate(rows, page=query.page, page_size=query.page_size)
    return OutcomePage(count=page.count, page=page.page, page_size=page.page_size,
                       items=[_outcome_out(o) for o in page.items])


@router.get("/outcomes/{number}", response=OutcomeDetailOut, summary="学习成果详情（来源活动、执笔人、附件）")
def outcome_detail(request: HttpRequest, number: str) -> OutcomeDetailOut:
    return _detail(_scope(request), number)


@router.post("/outcomes", response={201: OutcomeDetailOut}, summary="登记学习成果（成果编号由系统生成）")
def outcome_create(request: HttpRequest, payload: OutcomeCreateIn) -> Status[OutcomeDetailOut]:
    scope = _scope(request)
    outcome = services.outcome_create(actor=request.auth, scope=scope,  # type: ignore[attr-defined]
                                      org_code=payload.org_code, fields=_fields(payload))
    return Status(201, _detail(scope, outcome.number))


@router.put("/outcomes/{number}", response=OutcomeDetailOut,
            summary="修改学习成果（所属组织和编号不变；来源活动和执笔人按所给的替换）")
def outcome_update(request: HttpRequest, number: str, payload: OutcomeIn) -> OutcomeDetailOut:
    scope = _scope(request)
    services.outcome_update(actor=request.auth, scope=scope,  # type: ignore[attr-defined]
                            number=number, fields=_fields(payload))
    return _detail(scope, number)


@router.post("/outcomes/{number}/submit", response=OutcomeDetailOut, summary="典型经验报送上级审核")
def experience_submit(request: HttpRequest, number: str) -> OutcomeDetailOut:
    scope = _scope(request)
    experiences.experience_submit(actor=request.auth, scope=scope, number=number)  # type: ignore[attr-defined]
    return _detail(scope, number)


@router.post("/outcomes/{number}/review", response=OutcomeDetailOut,
             summary="上级审核典型经验：通过（并入库）、退回修改（须写明原因），或将已审核的入库")
def experience_review(request: HttpRequest, number: str, payload: ReviewIn) -> OutcomeDetailOut:
    scope = _scope(request)
    actor = request.auth  # type: ignore[attr-defined]
    if payload.decision == "approve":
        experiences.experience_approve(actor=actor, scope=scope, number=number, comments=payload.reason,
                                       areas=payload.areas, publish=payload.publish)
    elif payload.decision == "publish":
        experiences.experience_publish(actor=actor, scope=scope, number=number, areas=payload.areas)
    else:
        experiences.experience_return(actor=actor, scope=scope, number=number, reason=payload.reason)
    return _detail(scope, number)


@router.post("/outcomes/{number}/withdraw", response=OutcomeDetailOut,
             summary="撤回学习成果（保留记录，不再计入统计；已入库的典型经验同时从资料库撤回）")
def outcome_withdraw(request: HttpRequest, number: str, payload: WithdrawIn) -> OutcomeDetailOut:
    scope = _scope(request)
    services.outcome_withdraw(actor=request.auth, scope=scope,  # type: ignore[attr-defined]
                              number=number, reason=payload.reason)
    return _detail(scope, number)
