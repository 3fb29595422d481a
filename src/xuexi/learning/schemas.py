from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict, Field

# Hours and days go out as JSON numbers; they come in as numbers or strings, kept exact as Decimal.


class ActivityOut(Schema):
    number: str
    kind: str
    host_code: str
    host_name: str
    start_date: date
    end_date: date
    hours: float | None = Field(description="活动登记的学时；为空时按学时认定规则的默认学时计")
    topic: str
    training_type: str
    off_job: bool
    speaker: str
    venue: str
    content_areas: list[str]


class ActivityDetailOut(ActivityOut):
    speaker_number: str | None
    campaign_code: str | None
    created_at: datetime
    updated_at: datetime
    attendance: dict[str, int] = Field(description="各出勤状态（出席、缺席、请假）的人数")


class ActivityPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ActivityOut]


class ActivityIn(Schema):
    """An activity's fields; the number is the path's."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="活动类型，如 中心组集体学习、培训、讲党课")
    host_code: str = Field(description="主办组织编码，须在您的管理范围内")
    start_date: date
    end_date: date | None = Field(default=None, description="为空时与开始日期相同")
    topic: str = Field(max_length=300)
    hours: Decimal | None = Field(default=None, max_digits=7, decimal_places=2,
                                  description="为空时按学时认定规则的默认学时计")
    content_areas: list[str] = []
    training_type: str = Field(default="", description="仅培训：岗前培训、业务培训、晋职培训、理论培训")
    off_job: bool = Field(default=False, description="仅培训：是否脱产")
    speaker: str = Field(default="", max_length=100)
    speaker_number: str = Field(default="", description="主讲人为在册人员时的人员编号")
    venue: str = Field(default="", max_length=200)


class ActivityCreateIn(ActivityIn):
    number: str = Field(max_length=64)


class AttendanceOut(Schema):
    person_number: str
    person_name: str
    org_code: str
    org_name: str
    status: str
    hours: float | None = Field(description="本人的学时；为空时按活动的学时计")
    days: float | None = Field(description="本人的天数；为空时按活动的天数计")
    recorded_at: datetime


class AttendancePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[AttendanceOut]


class AttendanceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    person_number: str
    status: str = Field(default="出席", description="出席、缺席或请假")
    hours: Decimal | None = Field(default=None, max_digits=7, decimal_places=2)
    days: Decimal | None = Field(default=None, max_digits=6, decimal_places=2)


class AttendanceBatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    entries: list[AttendanceIn] = Field(min_length=1, max_length=5000,
                                        description="再次登记同一人员时更新其记录")


class AttendanceRecordedOut(Schema):
    activity_number: str
    recorded: int
    attendance: dict[str, int]


class ArchiveEntryOut(Schema):
    source: str = Field(description="参加记录、学时申报、网络学习（平台计时）或考试（合格）")
    reference: str = Field(description="活动编号或申报编号")
    kind: str
    title: str
    date: date
    hours: float
    days: float
    off_job: bool
    content_areas: list[str]
    counted: bool
    reason: str = Field(description="计入或不计入的依据")


class ArchiveKindOut(Schema):
    kind: str
    hours: float
    days: float


class ArchiveAreaOut(Schema):
    area: str
    hours: float


class ArchiveOut(Schema):
    person_number: str
    person_name: str
    org_code: str
    org_name: str
    year: int
    total_hours: float
    total_days: float
    entries: list[ArchiveEntryOut]
    by_kind: list[ArchiveKindOut]
    by_area: list[ArchiveAreaOut]


class ClaimOut(Schema):
    id: int
    person_number: str
    person_name: str
    org_code: str
    org_name: str
    kind: str
    title: str
    start_date: date
    end_date: date
    hours: float
    days: float
    off_job: bool
    evidence: str
    status: str = Field(description="pending 待认定、certified 已认定、refused 不予认定")
    status_label: str
    submitted_at: datetime
    decided_at: datetime | None
    decided_by: str
    refusal_reason: str


class ClaimPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ClaimOut]


class ClaimIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=300, description="学习内容")
    kind: str = Field(default="个人自学", description="个人自学、培训（其他单位组织）、网络学习等")
    start_date: date
    end_date: date | None = None
    hours: Decimal = Field(max_digits=7, decimal_places=2)
    days: Decimal = Field(default=Decimal(0), max_digits=6, decimal_places=2)
    off_job: bool = False
    evidence: str = Field(default="", max_length=2000, description="证明材料说明")


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    certify: bool = Field(description="true 认定；false 不予认定（须说明理由）")
    reason: str = Field(default="", max_length=300)


class CreditRuleOut(Schema):
    kind: str
    hours_per_session: float = Field(description="每次学时；未设置时为 0")
    hours_per_day: float | None = Field(description="多日活动每天学时；设置时按天计")
    updated_at: datetime | None
    updated_by: str


class CreditRuleIn(Schema):
    model_config = ConfigDict(extra="forbid")

    hours_per_session: Decimal = Field(max_digits=6, decimal_places=2)
    hours_per_day: Decimal | None = Field(default=None, max_digits=6, decimal_places=2)
