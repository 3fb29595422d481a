"""考学 API schemas."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict, Field


class QuestionOut(Schema):
    code: str
    area: str
    kind: str
    stem: str
    options: list[str]
    answer: str
    difficulty: str
    explanation: str
    publisher: str  # the publishing organization's code
    enabled: bool


class QuestionPage(Schema):
    items: list[QuestionOut]
    count: int
    page: int
    page_size: int


class QuestionCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=64)
    publisher: str  # an organization code the caller administers
    area: str
    kind: str
    stem: str
    options: list[str] = Field(default_factory=list, max_length=8)
    answer: str
    difficulty: str
    explanation: str = ""
    enabled: bool = True


class QuestionChangeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    area: str | None = None
    kind: str | None = None
    stem: str | None = None
    options: list[str] | None = Field(default=None, max_length=8)
    answer: str | None = None
    difficulty: str | None = None
    explanation: str | None = None
    enabled: bool | None = None


class ImportErrorOut(Schema):
    row: int | None
    column: str
    value: str
    expected: str
    message: str


class ImportOut(Schema):
    rows: int
    created: int
    updated: int
    stored: bool
    errors: list[ImportErrorOut]


class FixedItemIn(Schema):
    question: str
    points: int


class DrawIn(Schema):
    area: str
    difficulty: str
    count: int
    points: int


class PaperIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str
    title: str
    publisher: str
    items: list[FixedItemIn] = Field(default_factory=list)
    draws: list[DrawIn] = Field(default_factory=list)


class PaperOut(Schema):
    code: str
    title: str
    publisher: str
    random: bool
    total: int


class ExamIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str
    title: str
    paper: str
    org: str
    opens_at: datetime
    closes_at: datetime
    duration_minutes: int
    pass_mark: int
    max_attempts: int = 1
    shuffle: bool = True


class ExamOut(Schema):
    code: str
    title: str
    paper: str
    org: str
    opens_at: datetime
    closes_at: datetime
    duration_minutes: int
    pass_mark: int
    max_attempts: int
    shuffle: bool


class SheetQuestionOut(Schema):
    position: int
    kind: str
    stem: str
    options: list[list[str]]  # [shown letter, text]
    points: int
    response: str
    correct: bool | None


class AttemptOut(Schema):
    id: int
    exam: str
    seq: int
    started_at: datetime
    deadline: datetime
    submitted_at: datetime | None
    total: int
    score: int | None
    passed: bool | None
    questions: list[SheetQuestionOut]


class AnswersIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: dict[int, str]  # question number as shown → letters as shown, 对/错, or the text


class PersonResultOut(Schema):
    number: str
    name: str
    org: str
    attempts: int
    best: int | None
    passed: bool


class OrgResultOut(Schema):
    code: str
    name: str
    takers: int
    passed: int
    average: float | None


class ResultsOut(Schema):
    exam: str
    org: str
    pass_mark: int
    orgs: list[OrgResultOut]
    people: list[PersonResultOut]


class PracticeQuestionOut(Schema):
    number: int
    kind: str
    area: str
    stem: str
    options: list[str]


class PracticeResultOut(Schema):
    number: int
    stem: str
    response: str
    correct: bool
    answer: str
    explanation: str


class PracticeOut(Schema):
    day: date
    questions: list[PracticeQuestionOut]


class PracticeGradedOut(Schema):
    day: date
    right: int
    results: list[PracticeResultOut]


class AttemptSummaryOut(Schema):
    id: int
    exam: str
    title: str
    seq: int
    started_at: datetime
    deadline: datetime
    submitted_at: datetime | None
    total: int
    score: int | None
    passed: bool | None


class ExamCreditIn(Schema):
    model_config = ConfigDict(extra="forbid")

    credit_hours: Decimal | None = Field(description="合格计入学时（网络学习，首次合格计入一次）；null 表示不计学时。"
                                                     "只有省级组织管理员可以设置")


class ExamCreditOut(Schema):
    code: str
    credit_hours: Decimal | None
