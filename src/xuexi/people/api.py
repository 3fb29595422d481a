from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from xuexi.accounts.scope import Scope
from xuexi.orgs.access import access_org
from xuexi.pagination import paginate
from xuexi.people import selectors, services
from xuexi.people.access import access_person
from xuexi.people.models import Person
from xuexi.people.schemas import (
    PersonCreateIn,
    PersonOut,
    PersonPage,
    PersonUpdateIn,
    RevealOut,
    TransferIn,
    TransferOut,
)

router = Router(tags=["人员"])


class PersonQuery(Schema):
    search: str = ""  # 姓名、人员编号，或完整的身份证号/手机号（精确匹配）
    org: str = ""  # an organization code: its subtree
    direct_only: bool = False
    rank: str = ""
    leader_post: str = ""
    group: str = ""
    include_inactive: bool = False
    page: int = 1
    page_size: int = 50


def _scope(request: HttpRequest) -> Scope:
    return Scope.for_user(request.auth)  # type: ignore[attr-defined]


def _out(people: list[Person]) -> list[PersonOut]:
    groups = selectors.groups_by_person(person_ids=[p.pk for p in people])
    return [
        PersonOut(number=p.number, name=p.name, gender=p.gender, org_code=p.org.code, org_name=p.org.name,
                  rank=p.rank, leader_post=p.leader_post, groups=groups[p.pk],
                  central_group_member=p.central_group_member, id_card=p.id_card_masked,
                  phone=p.phone_masked, is_active=p.is_active)
        for p in people
    ]


@router.get("", response=PersonPage, summary="人员列表")
def person_list(request: HttpRequest, query: Query[PersonQuery]) -> PersonPage:
    scope = _scope(request)
    org_path = access_org(scope=scope, code=query.org).path if query.org else ""
    filters = selectors.PersonFilters(search=query.search, org_path=org_path, direct_only=query.direct_only,
                                      rank=query.rank, leader_post=query.leader_post, group=query.group,
                                      include_inactive=query.include_inactive)
    page = paginate(selectors.person_list(scope=scope, filters=filters), page=query.page,
                    page_size=query.page_size)
    return PersonPage(count=page.count, page=page.page, page_size=page.page_size, items=_out(page.items))


@router.get("/{number}", response=PersonOut, summary="人员详情（身份证号、手机号脱敏）")
def person_detail(request: HttpRequest, number: str) -> PersonOut:
    return _out([access_person(scope=_scope(request), number=number)])[0]


@router.post("", response={201: PersonOut}, summary="新增人员")
def person_create(request: HttpRequest, payload: PersonCreateIn) -> Status[PersonOut]:
    person = services.person_create(actor=request.auth, scope=_scope(request),  # type: ignore[attr-defined]
                                    **payload.model_dump())
    return Status(201, _out([person])[0])


@router.patch("/{number}", response=PersonOut, summary="修改人员")
def person_update(request: HttpRequest, number: str, payload: PersonUpdateIn) -> PersonOut:
    person = services.person_update(actor=request.auth, scope=_scope(request),  # type: ignore[attr-defined]
                                    number=number, changes=payload.model_dump(exclude_unset=True,
                                                                              exclude_none=True))
    return _out([person])[0]


@router.post("/{number}/transfer", response=TransferOut, summary="组织关系转接")
def person_transfer(request: HttpRequest, number: str, payload: TransferIn) -> TransferOut:
    transfer = services.person_transfer(actor=request.auth, scope=_scope(request),  # type: ignore[attr-defined]
                                        number=number, **payload.model_dump())
    return TransferOut(number=number, from_org_code=transfer.from_org.code, to_org_code=transfer.to_org.code,
                       effective_date=transfer.effective_date)


@router.post("/{number}/reveal", response=RevealOut, summary="查看完整信息（记入审计日志）")
def person_reveal(request: HttpRequest, response: HttpResponse, number: str) -> RevealOut:
    numbers = services.person_reveal(actor=request.auth, scope=_scope(request), number=number)  # type: ignore[attr-defined]
    response.headers["Cache-Control"] = "no-store"
    return RevealOut(**numbers)
