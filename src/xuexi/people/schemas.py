from __future__ import annotations

from datetime import date

from ninja import Schema
from pydantic import ConfigDict, Field


class PersonOut(Schema):
    number: str
    name: str
    gender: str
    org_code: str
    org_name: str
    rank: str
    leader_post: str
    groups: list[str]
    central_group_member: bool
    id_card: str = Field(description="脱敏显示，如 220102********1234")
    phone: str = Field(description="脱敏显示，如 138****5678")
    is_active: bool


class PersonCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    number: str = Field(max_length=64)
    name: str = Field(max_length=100)
    org_code: str
    gender: str = ""
    rank: str = "无"
    leader_post: str = "无"
    groups: list[str] = []
    central_group_member: bool = False
    id_card: str = ""
    phone: str = ""


class PersonUpdateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=100)
    gender: str | None = None
    rank: str | None = None
    leader_post: str | None = None
    groups: list[str] | None = None
    central_group_member: bool | None = None
    id_card: str | None = None
    phone: str | None = None


class TransferIn(Schema):
    model_config = ConfigDict(extra="forbid")

    to_org_code: str
    effective_date: date | None = None
    reason: str = ""


class TransferOut(Schema):
    number: str
    from_org_code: str
    to_org_code: str
    effective_date: date


class RevealOut(Schema):
    id_card: str
    phone: str


class PersonPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[PersonOut]
