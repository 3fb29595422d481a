from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field


class ReportVersionOut(Schema):
    number: int
    submitted_at: datetime
    submitted_by: str
    late: bool = Field(description="首次报送晚于截止时间（次年 1 月 31 日 23:59:59，北京时间）")
    decision: str = Field(description="空（待审核）、returned（退回修改）或 accepted（通过）")
    comments: str
    decided_at: datetime | None
    decided_by: str
    basics: str
    practices: str
    problems: str
    next_plan: str


class ReportOut(Schema):
    org: str = Field(description="报送组织编码")
    org_name: str
    year: int
    state: str = Field(description="draft（草稿）、submitted（已报送）、returned（已退回）、accepted（已通过）")
    status: str = Field(description="报送情况：not_started、draft、submitted、late、returned、accepted")
    late: bool
    deadline: datetime
    first_submitted_at: datetime | None
    basics: str = Field(description="一、基本情况")
    practices: str = Field(description="二、主要做法和成效")
    problems: str = Field(description="三、存在问题和不足")
    next_plan: str = Field(description="四、下一年度学习计划")
    figures: dict[str, Any] = Field(description="根据平台记录汇总的主要数据")
    updated_at: datetime
    updated_by: str
    versions: list[ReportVersionOut] = Field(description="报送的每一版，新的在前")


class ReportIn(Schema):
    """The parts that change; the others stay as they are."""

    model_config = ConfigDict(extra="forbid")

    basics: str | None = None
    practices: str | None = None
    problems: str | None = None
    next_plan: str | None = None


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    accept: bool = Field(description="true 通过；false 退回修改（须写意见）")
    comments: str = ""


class InboxRowOut(Schema):
    org: str
    org_name: str
    status: str = Field(description="not_started、draft、submitted、late、returned、accepted")
    late: bool
    first_submitted_at: datetime | None
    versions: int


class InboxOut(Schema):
    org: str
    year: int
    deadline: datetime
    counts: dict[str, int]
    items: list[InboxRowOut]
