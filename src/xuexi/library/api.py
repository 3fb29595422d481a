"""学习资料库 over HTTP: searching the library, one item, publishing, and the day's 理论学习天天向上."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xuexi.accounts.scope import Scope
from xuexi.library import reading, selectors, services
from xuexi.library.access import access_item
from xuexi.library.models import LibraryItem
from xuexi.library.schemas import (
    FileOut,
    HeartbeatIn,
    HeartbeatOut,
    ItemCreateIn,
    ItemDetailOut,
    ItemIn,
    ItemOut,
    ItemPage,
    PushOut,
    WithdrawIn,
)
from xuexi.pagination import paginate

router = Router(tags=["学习资料库"])


class ItemQuery(Schema):
    q: str = Field(default="", max_length=100, description="搜索词（按相关度排序）")
    kind: str = ""
    area: str = Field(default="", description="学习内容")
    campaign: str = Field(default="", description="主题教育编号")
    publisher: str = Field(default="", description="发布组织编码")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = 1
    page_size: int = 50


def _scope(request: HttpRequest) -> Scope:
    return Scope.for_user(request.auth)  # type: ignore[attr-defined]


def _out(item: LibraryItem) -> ItemOut:
    return ItemOut(id=item.pk, kind=item.kind, title=item.title, date=item.date, source=item.source,
                   areas=list(item.areas), publisher_code=item.publisher.code, publisher_name=item.publisher.name)


def _detail(scope: Scope, item_id: int) -> ItemDetailOut:
    item = access_item(scope=scope, item_id=item_id)
    return ItemDetailOut(
        **_out(item).model_dump(), body=item.body, campaign_codes=[c.code for c in item.campaigns.all()],
        files=[FileOut(id=f.pk, name=f.name, content_type=f.content_type, size=f.size)
               for f in selectors.item_files(item=item)],
        removed_at=item.removed_at, removal_reason=item.removal_reason,
    )


def _fields(payload: ItemIn) -> services.ItemFields:
    return services.ItemFields(**payload.model_dump(include=set(ItemIn.model_fields)))


@router.get("/library/items", response=ItemPage, summary="学习资料列表与全文检索（按相关度或日期排序）")
def item_list(request: HttpRequest, query: Query[ItemQuery]) -> ItemPage:
    filters = selectors.ItemFilters(search=query.q, kind=query.kind, area=query.area, campaign=query.campaign,
                                    publisher=query.publisher, date_from=query.date_from, date_to=query.date_to)
    page = paginate(selectors.item_list(scope=_scope(request), filters=filters), page=query.page,
                    page_size=query.page_size)
    return ItemPage(count=page.count, page=page.page, page_size=page.page_size, items=[_out(i) for i in page.items])


@router.get("/library/items/{item_id}", response=ItemDetailOut, summary="学习资料详情（打开即记录阅读）")
def item_detail(request: HttpRequest, item_id: int) -> ItemDetailOut:
    scope = _scope(request)
    services.item_open(scope=scope, item=access_item(scope=scope, item_id=item_id))
    return _detail(scope, item_id)


@router.post("/library/items", response={201: ItemDetailOut}, summary="发布学习资料（到发布组织及其全部下级组织）")
def item_publish(request: HttpRequest, payload: ItemCreateIn) -> Status[ItemDetailOut]:
    scope = _scope(request)
    item = services.item_publish(actor=request.auth, scope=scope,  # type: ignore[attr-defined]
                                 org_code=payload.org_code, fields=_fields(payload))
    return Status(201, _detail(scope, item.pk))


@router.post("/library/items/{item_id}/withdraw", response=ItemDetailOut,
             summary="撤回学习资料（发布组织的管理员；成员不再看到，推送记录保留）")
def item_withdraw(request: HttpRequest, item_id: int, payload: WithdrawIn) -> ItemDetailOut:
    scope = _scope(request)
    services.item_withdraw(actor=request.auth, scope=scope,  # type: ignore[attr-defined]
                           item_id=item_id, reason=payload.reason)
    return _detail(scope, item_id)


@router.get("/library/today", response=list[PushOut], summary="理论学习天天向上：当日推送（最近的组织在前）")
def today(request: HttpRequest, date: dt.date | None = None) -> list[PushOut]:
    pushes = selectors.pushes_for(scope=_scope(request), date=date or timezone.localdate())
    return [PushOut(org_code=p.org.code, org_name=p.org.name, date=p.date,
                    items=[_out(e.item) for e in p.entries.all()]) for p in pushes]


@router.post("/library/items/{item_id}/heartbeat", response=HeartbeatOut,
             summary="网络学习计时：资料页面可见且有操作时定时报一次，服务器据此计入今天的网络学习时间")
def heartbeat(request: HttpRequest, item_id: int, payload: HeartbeatIn) -> HeartbeatOut:
    beat = reading.heartbeat(scope=_scope(request), item_id=item_id, visible=payload.visible, active=payload.active)
    return HeartbeatOut(credited_seconds=beat.credited, today_seconds=beat.today_seconds,
                        today_minutes=beat.today_minutes, today_hours=beat.today_hours)
