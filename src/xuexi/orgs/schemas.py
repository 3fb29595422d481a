from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict, Field


class OrgOut(Schema):
    code: str
    name: str
    parent_code: str | None
    level: str
    kind: str
    sector: str
    has_central_group: bool
    is_active: bool
    depth: int
    child_count: int


class OrgCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=64)
    name: str = Field(max_length=200)
    parent_code: str
    level: str
    kind: str
    sector: str
    has_central_group: bool = False


class OrgUpdateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200)
    level: str | None = None
    kind: str | None = None
    sector: str | None = None
    has_central_group: bool | None = None


class OrgMoveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    new_parent_code: str


class OrgPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[OrgOut]
