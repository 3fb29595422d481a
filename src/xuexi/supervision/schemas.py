from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class InspectorIO(Schema):
    name: str = Field(max_length=100)
    username: str = Field(default="", max_length=150, description="检查组成员的平台账户；整改情况报送后通知该账户")


class OrgRef(Schema):
    code: str
    name: str


class InspectionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    number: str = Field(default="", max_length=64,
                        description="检查编号；不填则自动编号 DX-<检查组织编码>-<年度>-<序号>")
    title: str = Field(max_length=200)
    inspector_code: str = Field(max_length=64, description="开展检查的组织（须在您的管理范围内）")
    year: int = Field(ge=2000, le=2100, description="检查哪一年的学习情况")
    start_date: date
    end_date: date
    inspected_codes: list[str] = Field(min_length=1, max_length=30, description="被检查组织：检查组织的下级组织")
    inspectors: list[InspectorIO] = Field(min_length=1, max_length=50)
    description: str = Field(default="", max_length=4000)


class InspectionPatch(Schema):
    """Only the fields to change; inspected organizations may be added, never taken off; the year stays."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, max_length=200)
    start_date: date | None = None
    end_date: date | None = None
    status: Literal["planned", "in_progress", "ended"] | None = Field(
        default=None, description="planned（计划中）、in_progress（进行中）、ended（已结束）")
    description: str | None = Field(default=None, max_length=4000)
    inspected_codes: list[str] | None = Field(default=None, max_length=30, description="全部被检查组织，含已列入的")
    inspectors: list[InspectorIO] | None = Field(default=None, max_length=50, description="替换检查组成员")


class InspectionOut(Schema):
    number: str
    title: str
    inspector: OrgRef = Field(description="开展检查的组织")
    year: int
    start_date: date
    end_date: date
    status: str = Field(description="planned、in_progress 或 ended")
    status_label: str


class InspectionPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[InspectionOut]


class FigureOut(Schema):
    label: str
    value: str


class ActivityRef(Schema):
    number: str
    kind: str
    topic: str
    start_date: date


class StandingOut(Schema):
    period: str
    required: int | float
    actual: int | float
    status: str = Field(description="met、missed、in_progress 或 exempt")
    at_risk: bool


class FindingOut(Schema):
    id: int
    item_id: int
    org: str = Field(description="被检查组织编码")
    text: str
    rule: str | None = Field(description="涉及的规则编码")
    activity: str | None = Field(description="涉及的活动编号")
    recorded_at: datetime
    recorded_by: str


class ChecklistItemOut(Schema):
    id: int
    area: str = Field(description="检查事项（中心组学习等）的代码；制度要求条目为空")
    rule: str | None = Field(description="制度要求条目的规则编码")
    label: str
    figures: list[FigureOut] = Field(description="被检查组织本级当年的数据")
    rows: list[StandingOut] = Field(description="制度要求条目：被检查组织本级的达标情况")
    activities: list[ActivityRef]
    note: str
    findings: list[FindingOut]


class TargetOut(Schema):
    org: OrgRef
    checklist: list[ChecklistItemOut]


class EvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class EventOut(Schema):
    at: datetime
    actor: str
    action: str = Field(description="issue、answer、return 或 close")
    action_label: str
    text: str
    status: str
    due_date: date
    evidence: list[EvidenceOut]


class RectificationOut(Schema):
    seq: int
    finding_id: int
    requirement: str
    responsible: OrgRef
    due_date: date
    status: str = Field(description="open（待整改）、answered（待核验）、returned（退回重改）、closed（已销号）")
    status_label: str
    overdue: bool
    days_overdue: int
    history: list[EventOut]


class InspectionDetailOut(InspectionOut):
    description: str
    inspectors: list[InspectorIO]
    inspected: list[TargetOut] = Field(description="您可见的被检查组织及其检查清单")
    rectifications: list[RectificationOut] = Field(description="您可见的整改事项")


class FindingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    item_id: int = Field(description="检查清单条目（见检查详情的 checklist）")
    text: str = Field(max_length=4000)
    rule_code: str = Field(default="", max_length=64)
    activity_number: str = Field(default="", max_length=64)


class RectificationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    finding_id: int
    requirement: str = Field(max_length=4000)
    responsible_code: str = Field(max_length=64, description="责任单位：被检查组织或其下级组织")
    due_date: date


class VerifyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["close", "return"] = Field(description="close 销号；return 退回重改（须写 comment）")
    comment: str = Field(default="", max_length=4000)
    due_date: date | None = Field(default=None, description="退回时的新整改期限")
