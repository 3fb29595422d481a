from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import ConfigDict, Field


class EventOut(Schema):
    action: str = Field(description="submitted（提交）、returned（退回）或 reviewed（评阅）")
    at: datetime
    actor_name: str
    title: str
    body: str = Field(description="提交时的内容")
    comment: str
    rating: str


class StudyReportOut(Schema):
    id: int
    person: str = Field(description="人员编号")
    person_name: str
    org: str = Field(description="评阅其报告的组织编码（撰写时所在组织）")
    org_name: str
    call: int | None = Field(description="述学安排编号；没有安排时为空")
    year: int
    period: str = Field(description="年度、上半年或下半年")
    title: str
    body: str
    status: str = Field(description="draft（草稿）、submitted（已提交）、returned（已退回）、reviewed（已评阅）")
    submitted_at: datetime | None
    reviewed_at: datetime | None
    reviewed_by: str
    rating: str = Field(description="优秀、良好、一般、较差；评阅前为空")
    comment: str = Field(description="评阅意见或退回意见")
    events: list[EventOut] = Field(default_factory=list, description="提交、退回、评阅的记录，旧的在前")


class StudyReportRowOut(Schema):
    id: int
    person: str
    person_name: str
    org: str
    org_name: str
    year: int
    period: str
    title: str
    status: str
    submitted_at: datetime | None
    rating: str


class StudyReportListOut(Schema):
    count: int
    counts: dict[str, int] = Field(description="各状态的报告数（未分页）")
    items: list[StudyReportRowOut]


class StudyReportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    year: int
    period: str = Field(description="年度、上半年或下半年")
    title: str
    body: str = ""
    call: int | None = Field(default=None, description="述学安排编号；不填时按期间自动关联对本人的安排")


class StudyReportEditIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    body: str | None = None


class ReturnIn(Schema):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field(description="退回意见（必填）")


class ReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    rating: str = Field(description="优秀、良好、一般或较差")
    comment: str = ""


class CallOut(Schema):
    id: int
    org: str
    org_name: str
    year: int
    period: str
    who: str = Field(description="领导干部或全体党员")
    due_date: date
    title: str
    note: str
    created_by: str
    created_at: datetime


class CallIn(Schema):
    model_config = ConfigDict(extra="forbid")

    org: str = Field(description="安排组织编码：其下（含本级）的人员须述学")
    year: int
    period: str
    who: str
    due_date: date
    title: str
    note: str = ""


class CallEditIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    note: str | None = None
    due_date: date | None = None


class CoverageRowOut(Schema):
    org: str
    org_name: str
    own: bool = Field(description="true：本级组织自身的人员；false：该直属下级组织及其下级")
    expected: int = Field(description="应述学人数")
    reported: int = Field(description="已提交（含已评阅）")
    reviewed: int
    not_reported: int


class CoverageOut(Schema):
    org: str
    year: int
    period: str
    who: str
    total: CoverageRowOut
    items: list[CoverageRowOut]
