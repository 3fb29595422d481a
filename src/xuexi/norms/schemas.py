from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict, Field

# Thresholds and measures go out as JSON numbers (integers when whole, as `xuexi compliance --format json`);
# they come in as numbers or strings, kept exact as Decimal.


class RuleVersionOut(Schema):
    effective_from: date = Field(description="生效日期：自该日所在的周期起按此版本评估")
    name: str
    source: str = Field(description="制度原文")
    enabled: bool
    subject_type: str = Field(description="org（组织）或 person（人员）")
    metric: str = Field(description="hosted、presence、spoke、hours、days、report_on_time")
    kinds: list[str] = Field(description="计入的活动类型；为空时不限")
    off_job_only: bool
    training_type: str
    org_levels: list[str]
    org_kinds: list[str]
    org_sectors: list[str]
    central_group_only: bool
    with_parent_only: bool
    person_ranks: list[str]
    person_leader_posts: list[str]
    person_groups: list[str]
    period: str = Field(description="quarter、year 或 window")
    window_years: int
    required: int | float
    sector_required: dict[str, int | float] = Field(
        description="单位类别模板：这些单位类别的对象适用的要求，如 {\"国有企业\": 40}；其余单位类别适用 required")
    changed_at: datetime
    changed_by: str


class RuleOut(Schema):
    code: str
    owner_code: str | None = Field(description="制定组织编码；省级规则为空")
    owner_name: str = Field(description="省级，或制定规则的下级组织名称")
    enabled: bool = Field(description="现行版本是否启用")
    may_edit: bool = Field(description="您能否为其增加新版本")
    current: RuleVersionOut | None = Field(description="今天生效的版本；全部版本都尚未生效时为空")


class RuleDetailOut(RuleOut):
    versions: list[RuleVersionOut] = Field(description="全部版本，新的在前")


class RulePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[RuleOut]


class RuleTermsIn(Schema):
    """A version's terms, as spec/norms.md's table lists them."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200)
    source: str = Field(description="制度原文：这条规则的依据")
    subject_type: str = Field(description="org（组织）或 person（人员）")
    metric: str = Field(description="组织：hosted（主办活动次数）、presence（中心组成员出席率，%）、"
                                    "report_on_time；人员：spoke、hours、days")
    period: str = Field(description="quarter（每季度）、year（每年）或 window（连续多年累计）")
    required: Decimal = Field(max_digits=9, decimal_places=2)
    enabled: bool = True
    kinds: list[str] = Field(default=[], description="计入的活动类型，如 培训、调查研究；为空时不限")
    off_job_only: bool = False
    training_type: str = ""
    org_levels: list[str] = []
    org_kinds: list[str] = []
    org_sectors: list[str] = []
    central_group_only: bool = False
    with_parent_only: bool = False
    person_ranks: list[str] = []
    person_leader_posts: list[str] = []
    person_groups: list[str] = []
    window_years: int = Field(default=1, description="周期为 window 时的累计年数，2 到 10")
    sector_required: dict[str, Decimal] = Field(
        default={}, description="单位类别模板：按单位类别另定的要求，如 {\"国有企业\": 40, \"农村\": 24}")


class RuleCreateIn(RuleTermsIn):
    code: str = Field(max_length=64, description="英文字母、数字和连字符")
    owner_code: str = Field(description="制定组织编码，须在您的管理范围内；省级组织即为省级规则")
    effective_from: date


class RuleVersionIn(Schema):
    """The terms that change from a date; the others carry over from the version then in force."""

    model_config = ConfigDict(extra="forbid")

    effective_from: date
    name: str | None = Field(default=None, max_length=200)
    source: str | None = None
    subject_type: str | None = None
    metric: str | None = None
    period: str | None = None
    required: Decimal | None = Field(default=None, max_digits=9, decimal_places=2)
    enabled: bool | None = None
    kinds: list[str] | None = None
    off_job_only: bool | None = None
    training_type: str | None = None
    org_levels: list[str] | None = None
    org_kinds: list[str] | None = None
    org_sectors: list[str] | None = None
    central_group_only: bool | None = None
    with_parent_only: bool | None = None
    person_ranks: list[str] | None = None
    person_leader_posts: list[str] | None = None
    person_groups: list[str] | None = None
    window_years: int | None = None
    sector_required: dict[str, Decimal] | None = Field(
        default=None, description="单位类别模板：按单位类别另定的要求（整体替换；{} 即各类别都适用 required）")


class ComplianceRowOut(Schema):
    rule: str
    subject_type: str = Field(description="org 或 person")
    subject: str = Field(description="组织编码或人员编号")
    subject_name: str
    org: str = Field(description="对象本身或其所在的组织编码")
    period: str = Field(description="如 2025、2025-Q1")
    required: int | float
    actual: int | float
    status: str = Field(description="met、missed、in_progress 或 exempt")
    at_risk: bool = Field(description="进行中且进度落后于按时间折算的要求")
    deadline: date


class CompliancePage(Schema):
    year: int
    as_of: date
    count: int
    page: int
    page_size: int
    skipped: list[str] = Field(description="暂不评估的规则及原因")
    items: list[ComplianceRowOut]


class EvidenceOut(Schema):
    source: str = Field(description="参加记录、学时申报、网络学习、考试、主办活动或主讲活动")
    reference: str
    title: str
    date: date
    amount: int | float = Field(description="计入的学时、天数或次数")
    counted: bool
    reason: str


class ExplainedRowOut(ComplianceRowOut):
    rule_name: str
    source: str = Field(description="制度原文")
    version_from: date = Field(description="评估所依据版本的生效日期")
    period_start: date
    period_end: date
    evidence: list[EvidenceOut]


class SubjectComplianceOut(Schema):
    subject_type: str
    subject: str
    subject_name: str
    org: str
    year: int
    as_of: date
    rows: list[ExplainedRowOut]


class ExemptionOut(Schema):
    id: int
    rule: str
    subject_type: str
    subject: str
    subject_name: str
    org: str
    period: str
    reason: str
    granted_by: str
    granted_at: datetime


class ExemptionPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ExemptionOut]


class ExemptionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    rule: str = Field(description="规则编码")
    period: str = Field(max_length=16, description="如 2025、2025-Q1 或 2021-2025")
    reason: str = Field(max_length=300)
    org_code: str = Field(default="", description="豁免一个组织时填写；与 person_number 二选一")
    person_number: str = Field(default="", description="豁免一名人员时填写")
