from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict, Field


class ItemIn(Schema):
    """An item's fields; its publisher does not change."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="类别：文章、图书、文件、视频、课程")
    title: str = Field(max_length=300)
    date: dt.date
    source: str = Field(default="", max_length=200)
    body: str = Field(default="", max_length=100_000, description="正文")
    areas: list[str] = Field(default=[], max_length=6, description="学习内容（六个方面中的若干项）")
    campaign_codes: list[str] = Field(default=[], max_length=20, description="主题教育编号")


class ItemCreateIn(ItemIn):
    org_code: str = Field(max_length=64, description="发布组织编码：资料发布到该组织及其全部下级组织")


class FileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class ItemOut(Schema):
    id: int = Field(description="资料编号")
    kind: str
    title: str
    date: dt.date
    source: str
    areas: list[str]
    publisher_code: str
    publisher_name: str


class ItemDetailOut(ItemOut):
    body: str
    campaign_codes: list[str]
    files: list[FileOut]
    removed_at: dt.datetime | None = Field(default=None,
                                           description="撤回时间（只有发布组织及其上级的管理员能看到撤回的资料）")
    removal_reason: str = ""


class WithdrawIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=500, description="撤回原因")


class ItemPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ItemOut]


class PushOut(Schema):
    org_code: str
    org_name: str
    date: dt.date
    items: list[ItemOut] = Field(description="按编辑排定的顺序")


class HeartbeatIn(Schema):
    """What the page sees at a beat; the server decides what it is worth."""

    model_config = ConfigDict(extra="forbid")

    visible: bool = Field(description="页面是否可见（document.visibilityState）")
    active: bool = Field(description="最近一分钟内是否有操作，或视频正在播放")


class HeartbeatOut(Schema):
    credited_seconds: int = Field(description="本次计入的秒数")
    today_seconds: int = Field(description="今天（北京时间）已计入的网络学习秒数，全部资料合计")
    today_minutes: int
    today_hours: Decimal = Field(description="今天计入学习档案的网络学习学时（每满 6 分钟 0.1 学时）")
