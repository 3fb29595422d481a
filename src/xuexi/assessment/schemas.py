from __future__ import annotations

import datetime
from datetime import date

from ninja import Schema
from pydantic import ConfigDict, Field


class OrgRef(Schema):
    code: str
    name: str


class EvaluationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    org_code: str = Field(max_length=64, description="组织单位（须在您的管理范围内）；评议其及下级组织的在册党员")
    title: str = Field(max_length=200)
    year: int = Field(ge=2000, le=2100)
    kind: str = Field(description="民主评议党员、领导班子和领导干部综合考核评价 或 党建评先")
    opens: date
    closes: date
    excellent_cap: int = Field(default=20, ge=0, le=100, description="优秀比例上限（%），结束评议时检查")


class EvaluationOut(Schema):
    id: int
    org: OrgRef
    title: str
    year: int
    kind: str
    opens: date
    closes: date
    status: str
    status_label: str
    excellent_cap: int


class ReviewIO(Schema):
    person_number: str = Field(max_length=64)
    excellent_votes: int = Field(default=0, ge=0)
    qualified_votes: int = Field(default=0, ge=0)
    basic_votes: int = Field(default=0, ge=0)
    unqualified_votes: int = Field(default=0, ge=0)
    grade: str = Field(default="", description="组织评定的等次；留空按得票评定（不合格须由组织评定并写明说明）")
    note: str = Field(default="", max_length=500)


class ReviewOut(ReviewIO):
    name: str
    org: str
    decided: bool


class EvaluationDetailOut(EvaluationOut):
    reviews: list[ReviewOut]
    grades: dict[str, int]


class ReviewsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    entries: list[ReviewIO] = Field(min_length=1, max_length=5000)


class ReviewsResult(Schema):
    created: int
    updated: int


class ComponentOut(Schema):
    key: str
    label: str
    raw: str
    points: float | None = Field(description="按 100 分计；null 表示不适用、不计权重")
    weight: int
    weighted: float


class ScorecardOut(Schema):
    rank: int
    code: str
    name: str
    org_code: str
    total: float
    components: list[ComponentOut]


class WeightsIO(Schema):
    model_config = ConfigDict(extra="forbid")

    norms_weight: int = Field(default=40, ge=0, le=100)
    exams_weight: int = Field(default=20, ge=0, le=100)
    reports_weight: int = Field(default=20, ge=0, le=100)
    review_weight: int = Field(default=20, ge=0, le=100)
    rating_excellent: int = Field(default=100, ge=0, le=100)
    rating_good: int = Field(default=85, ge=0, le=100)
    rating_fair: int = Field(default=70, ge=0, le=100)
    rating_poor: int = Field(default=50, ge=0, le=100)
    rating_missing: int = Field(default=0, ge=0, le=100)
    grade_excellent: int = Field(default=100, ge=0, le=100)
    grade_qualified: int = Field(default=85, ge=0, le=100)
    grade_basic: int = Field(default=60, ge=0, le=100)
    grade_unqualified: int = Field(default=0, ge=0, le=100)


class WeightsOut(WeightsIO):
    year: int
    is_default: bool


class SanctionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="表彰：先进集体、学习标兵；惩戒：通报批评、限期整改")
    granted_by_code: str = Field(max_length=64, description="决定单位：对象所在组织或其上级，须在您的管理范围内")
    reason: str = Field(max_length=4000)
    date: datetime.date
    org_code: str = Field(default="", max_length=64)
    person_number: str = Field(default="", max_length=64)
    evaluation_id: int | None = None
    inspection_number: str = Field(default="", max_length=64)
    finding_id: int | None = Field(default=None, description="惩戒：所填督学检查中的问题")
    deadline: datetime.date | None = Field(default=None, description="限期整改的整改期限")


class SanctionOut(Schema):
    id: int
    kind: str
    org: OrgRef
    person: str | None
    granted_by: OrgRef
    reason: str
    date: datetime.date
    deadline: datetime.date | None = None
    rectify_status: str = ""
    evaluation_id: int | None
    inspection: str | None
    evidence: list[str]


class SanctionsOut(Schema):
    commendations: list[SanctionOut]
    penalties: list[SanctionOut]
