from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from xuexi.accounts.scope import Scope
from xuexi.orgs import selectors, services
from xuexi.orgs.access import access_org
from xuexi.orgs.models import Organization
from xuexi.orgs.schemas import OrgCreateIn, OrgMoveIn, OrgOut, OrgPage, OrgUpdateIn
from xuexi.pagination import paginate

router = Router(tags=["组织"])


class OrgQuery(Schema):
    search: str = ""
    level: str = ""
    kind: str = ""
    sector: str = ""
    under: str = ""  # an organization code: only its subtree
    include_inactive: bool = False
    page: int = 1
    page_size: int = 50


def _scope(request: HttpRequest) -> Scope:
    return Scope.for_user(request.auth)  # type: ignore[attr-defined]


def _out(orgs: list[Organization], parents: dict[str, str]) -> list[OrgOut]:
    return [
        OrgOut(code=o.code, name=o.name, parent_code=parents.get(o.path), level=o.level, kind=o.kind,
               sector=o.sector, has_central_group=o.has_central_group, is_active=o.is_active,
               depth=o.depth, child_count=o.numchild)
        for o in orgs
    ]


@router.get("", response=OrgPage, summary="组织列表")
def org_list(request: HttpRequest, query: Query[OrgQuery]) -> OrgPage:
    scope = _scope(request)
    under = access_org(scope=scope, code=query.under).path if query.under else ""
    filters = selectors.OrgFilters(search=query.search, level=query.level, kind=query.kind,
                                   sector=query.sector, under=under,
                                   include_inactive=query.include_inactive)
    page = paginate(selectors.org_list(scope=scope, filters=filters), page=query.page,
                    page_size=query.page_size)
    parents = selectors.org_parent_codes(scope=scope, orgs=page.items)
    return OrgPage(count=page.count, page=page.page, page_size=page.page_size,
                   items=_out(page.items, parents))


@router.get("/{code}", response=OrgOut, summary="组织详情")
def org_detail(request: HttpRequest, code: str) -> OrgOut:
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    return _out([org], selectors.org_parent_codes(scope=scope, orgs=[org]))[0]


@router.get("/{code}/children", response=list[OrgOut], summary="下级组织")
def org_children(request: HttpRequest, code: str) -> list[OrgOut]:
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    children = list(selectors.org_children(scope=scope, org=org))
    return _out(children, {c.path: org.code for c in children})


@router.post("", response={201: OrgOut}, summary="新建组织")
def org_create(request: HttpRequest, payload: OrgCreateIn) -> Status[OrgOut]:
    scope = _scope(request)
    org = services.org_create(actor=request.auth, scope=scope, **payload.model_dump())  # type: ignore[attr-defined]
    return Status(201, _out([org], {org.path: payload.parent_code})[0])


@router.patch("/{code}", response=OrgOut, summary="修改组织")
def org_update(request: HttpRequest, code: str, payload: OrgUpdateIn) -> OrgOut:
    scope = _scope(request)
    org = services.org_update(actor=request.auth, scope=scope, code=code,  # type: ignore[attr-defined]
                              changes=payload.model_dump(exclude_unset=True, exclude_none=True))
    return _out([org], selectors.org_parent_codes(scope=scope, orgs=[org]))[0]


@router.post("/{code}/move", response=OrgOut, summary="调整隶属关系（连同下级整体移动）")
def org_move(request: HttpRequest, code: str, payload: OrgMoveIn) -> OrgOut:
    scope = _scope(request)
    org = services.org_move(actor=request.auth, scope=scope, code=code,  # type: ignore[attr-defined]
                            new_parent_code=payload.new_parent_code)
    return _out([org], {org.path: payload.new_parent_code})[0]


@router.post("/{code}/deactivate", response=OrgOut, summary="撤销组织")
def org_deactivate(request: HttpRequest, code: str) -> OrgOut:
    scope = _scope(request)
    org = services.org_deactivate(actor=request.auth, scope=scope, code=code)  # type: ignore[attr-defined]
    return _out([org], selectors.org_parent_codes(scope=scope, orgs=[org]))[0]
