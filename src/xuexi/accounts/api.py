from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema

from xuexi.accounts import selectors
from xuexi.accounts.scope import Scope
from xuexi.pagination import paginate

router = Router(tags=["账户与审计"])


class GrantOut(Schema):
    org_code: str
    org_name: str
    role: str


class MeOut(Schema):
    username: str
    display_name: str
    admin_role: str
    person_number: str | None
    grants: list[GrantOut]


@router.get("/me", response=MeOut, summary="当前账户及其管理范围")
def me(request: HttpRequest) -> MeOut:
    user = request.auth  # type: ignore[attr-defined]
    return MeOut(
        username=user.username, display_name=user.display_name, admin_role=user.admin_role,
        person_number=user.person.number if user.person_id else None,
        grants=[GrantOut(org_code=g.org.code, org_name=g.org.name, role=g.role)
                for g in selectors.grants_of(user=user)],
    )


class AuditQuery(Schema):
    actor: str = ""
    action: str = ""
    outcome: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1
    page_size: int = 100


class AuditOut(Schema):
    seq: int
    at: datetime
    actor_name: str
    actor_org: str
    address: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    outcome: str
    detail: str


class AuditPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[AuditOut]


@router.get("/audit", response=AuditPage, summary="审计日志（仅审计管理员）")
def audit_list(request: HttpRequest, query: Query[AuditQuery]) -> AuditPage:
    scope = Scope.for_user(request.auth)  # type: ignore[attr-defined]
    filters = selectors.AuditFilters(actor=query.actor, action=query.action, outcome=query.outcome,
                                     object_id=query.object_id, since=query.since, until=query.until)
    page = paginate(selectors.audit_list(scope=scope, filters=filters), page=query.page,
                    page_size=query.page_size)
    return AuditPage(count=page.count, page=page.page, page_size=page.page_size,
                     items=[AuditOut.from_orm(e) for e in page.items])
