from __future__ import annotations

from datetime import date

from ninja import Schema
from pydantic import Field


class YearQuery(Schema):
    year: int | None = Field(default=None, ge=2000, le=2100, description="年度，默认今年（北京时间）")


class RulePointsOut(Schema):
    action: str = Field(description="积分项目：阅读资料、在线学习时长、每日一练、考试合格、参加学习活动、学时认定")
    points_each: int
    daily_cap: int
    unit_minutes: int = Field(description="仅在线学习时长：每满多少分钟计一次")
    earned: int = Field(description="本年度按现行规则计得的积分")


class DayPointsOut(Schema):
    day: date
    points: int


class PointsOut(Schema):
    year: int
    shown: bool = Field(description="所在组织是否开启学习积分（默认不开启；未开启时不计算、不显示）")
    total: int
    today: int
    by_rule: list[RulePointsOut]
    recent: list[DayPointsOut] = Field(description="最近 30 天每天的积分")
    note: str


class KindOut(Schema):
    kind: str
    hours: float
    days: float


class NormOut(Schema):
    rule: str
    name: str
    period: str
    required: float
    actual: float
    status: str = Field(description="met 达标、missed 未达标、in_progress 进行中、exempt 豁免")
    label: str = Field(description="达标、未达标、进行中、进度滞后或豁免")
    at_risk: bool
    deadline: date


class GoalOut(Schema):
    goal: str
    records: int = Field(description="标题或学习内容提到它的计入记录数")


class PlanOut(Schema):
    goal_hours: float
    credited_hours: float
    share: float | None
    topics: list[GoalOut]
    books: list[GoalOut]


class OrgPlanOut(Schema):
    title: str
    items: int
    done: int
    share: float | None


class ExamOut(Schema):
    code: str
    title: str
    attempts: int
    best: int | None
    pass_mark: int
    passed: bool


class PracticeOut(Schema):
    done_today: bool
    right_today: int | None
    questions_today: int | None
    streak: int
    days_this_year: int


class StudyReportOut(Schema):
    period: str
    title: str
    status: str
    rating: str


class MyLearningOut(Schema):
    person_number: str
    person_name: str
    org_code: str
    org_name: str
    year: int
    total_hours: float
    total_days: float
    by_kind: list[KindOut]
    norms: list[NormOut]
    plan: PlanOut
    org_plan: OrgPlanOut | None
    exams: list[ExamOut]
    open_exams: int
    practice: PracticeOut
    study_reports: list[StudyReportOut] = Field(description="本年度的述学报告")
    pushed_today: int = Field(description="今天推送给本人的学习资料条数")
    points: PointsOut
