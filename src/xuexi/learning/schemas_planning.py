"""Input and output of the 主题教育 and 学习计划 API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict, Field


class RequirementSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    level: str = Field(description="组织层级：省级、市级、县级、乡级、基层")
    kind: str = Field(description="活动类型，如 中心组集体学习")
    minimum: int = Field(default=1, description="期间内至少举办的次数")


class CampaignUpdateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200)
    start_date: date
    end_date: date
    organizer_code: str = Field(description="组织单位的组织编码")
    covers_code: str = Field(description="覆盖范围：该组织及其全部下级；须为组织单位本身或其下级")
    themes: list[str] = []
    description: str = ""
    requirements: list[RequirementSchema] = Field(default=[], description="整体替换原有要求")


class CampaignCreateIn(CampaignUpdateIn):
    code: str = Field(max_length=64)


class CampaignOut(Schema):
    code: str
    name: str
    start_date: date
    end_date: date
    organizer_code: str
    organizer_name: str
    covers_code: str
    covers_name: str
    themes: list[str]
    description: str
    requirements: list[RequirementSchema]


class CampaignPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[CampaignOut]


class CampaignActivityIn(Schema):
    model_config = ConfigDict(extra="forbid")

    activity_number: str


class CampaignActivityOut(Schema):
    campaign_code: str | None
    activity_number: str


class ProgressRowOut(Schema):
    org_code: str
    org_name: str
    level: str
    scope: str = Field(description="本级（该组织自身）、含下级（某一下级组织及其下级）或 合计")
    owing: int = Field(description="承担要求的组织数（层级有要求的有效组织）")
    met: int = Field(description="其中完成全部要求的组织数")
    met_share: float | None = Field(description="完成率，0–1；无承担要求的组织时为空")
    participants: int = Field(description="参加（出席）本主题教育活动的在册人员数")
    members: int = Field(description="在册人员数")
    participation_share: float | None


class CampaignProgressOut(Schema):
    campaign_code: str
    org_code: str = Field(description="汇总的组织：其本级与每个下级各一行")
    requirements: list[RequirementSchema]
    rows: list[ProgressRowOut]
    total: ProgressRowOut


class PlanItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    quarter: int = Field(description="季度，1–4")
    kind: str
    topic: str
    content_areas: list[str] = []


class StudyPlanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    year: int
    title: str
    items: list[PlanItemIn] = Field(default=[], description="整体替换原有条目")
    reading_list: list[str] = []


class ActivityRefOut(Schema):
    number: str
    topic: str
    start_date: date


class PlanItemOut(Schema):
    quarter: int
    kind: str
    topic: str
    content_areas: list[str]
    done: bool = Field(description="该季度本组织举办了该类型的活动（同一季度同类型的条目各需一次）")
    activities: list[ActivityRefOut]


class StudyPlanOut(Schema):
    org_code: str
    org_name: str
    year: int
    title: str
    reading_list: list[str]
    items: list[PlanItemOut]
    done: int
    done_share: float | None


class PersonalPlanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    year: int
    goal_hours: Decimal = Field(max_digits=7, decimal_places=2)
    topics: list[str] = []
    books: list[str] = []


class GoalOut(Schema):
    goal: str
    records: list[str] = Field(description="名称或学习内容提及该专题、书目的已计入记录")


class PersonalPlanOut(Schema):
    person_number: str
    person_name: str
    year: int
    goal_hours: Decimal
    credited_hours: Decimal
    share: float | None
    topics: list[GoalOut]
    books: list[GoalOut]
