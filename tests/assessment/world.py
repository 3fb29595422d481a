"""A small world for the scorecards, with every figure worked out by hand (see test_scorecard.py).

The persona tree of tests/conftest.py, and for 2025:
- one off-job 培训 of 110 hours hosted by 丙县 (K1), attended by 李书记 (CAD1): K1 meets 党员教育培训 and CAD1
  meets 脱产培训 110 学时;
- two exams opened in 2025: CAD1 scores 60 then 80 on the first (best 80) and 90 on the second; 王党员 (MEM1)
  scores 50 on the first; an exam of 2024 (CAD1: 10) counts for nothing;
- 述学 (when the studyreports app is installed): CAD1's 年度 report reviewed 良好; MEM1's 上半年 优秀 and
  下半年 一般; a submitted, unreviewed report counts for nothing;
- 民主评议 by 甲市 (C1), closed: CAD1 合格, MEM1 优秀 (cap 50%);
- the province's weights for 2025: 40 / 20 / 20 / 20 with the default points.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from tests import conftest
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.assessment import services
from xuexi.assessment.models import Evaluation
from xuexi.exams.models import Attempt, Exam, Paper
from xuexi.learning import services as learning_services
from xuexi.orgs.models import Organization
from xuexi.people.models import Person
from xuexi.studyreports.models import StudyReport

YEAR = 2025
SHANGHAI = ZoneInfo("Asia/Shanghai")


def province_scope() -> Scope:
    return Scope(admin_paths=(Organization.objects.get(code="P").path,))


def city_scope() -> Scope:
    return Scope(admin_paths=(Organization.objects.get(code="C1").path,))


def _exam(code: str, opens: datetime) -> Exam:
    paper = Paper.objects.create(code=f"PAPER-{code}", title="测试试卷", publisher=Organization.objects.get(code="P"))
    return Exam.objects.create(code=code, title=f"考试{code}", paper=paper, org=Organization.objects.get(code="P"),
                               opens_at=opens, closes_at=opens.replace(hour=23), duration_minutes=60,
                               max_attempts=3, pass_mark=60)


def _attempt(exam: Exam, number: str, seq: int, score: int) -> None:
    at = exam.opens_at
    Attempt.objects.create(exam=exam, person=Person.objects.get(number=number), seq=seq, started_at=at, deadline=at,
                           submitted_at=at, total=100, score=score, passed=score >= 60)


def _study_reports() -> None:
    cad1, mem1 = Person.objects.get(number="CAD1"), Person.objects.get(number="MEM1")
    for person, period, status, rating in ((cad1, "年度", "reviewed", "良好"), (mem1, "上半年", "reviewed", "优秀"),
                                           (mem1, "下半年", "reviewed", "一般"), (mem1, "年度", "submitted", "")):
        StudyReport.objects.create(person=person, org=person.org, year=YEAR, period=period, title="述学报告",
                                   body="内容", status=status, rating=rating)


def build() -> conftest.Tree:
    tree = conftest.tree.__wrapped__(None)
    scope = whole_tree_scope()
    learning_services.activity_save(actor=None, scope=scope, data=learning_services.ActivityInput(
        number="PX-2025", kind="培训", host_code="K1", start_date=date(YEAR, 5, 6), end_date=date(YEAR, 5, 10),
        topic="脱产培训",
        hours=Decimal(110), training_type="理论培训", off_job=True))
    learning_services.attendance_record(actor=None, scope=scope, activity_number="PX-2025",
                                        entries=[learning_services.AttendanceInput("CAD1")])
    first = _exam("E1", datetime(YEAR, 3, 1, 9, tzinfo=SHANGHAI))
    second = _exam("E2", datetime(YEAR, 9, 1, 9, tzinfo=SHANGHAI))
    old = _exam("E0", datetime(YEAR - 1, 9, 1, 9, tzinfo=SHANGHAI))
    _attempt(first, "CAD1", 1, 60)
    _attempt(first, "CAD1", 2, 80)
    _attempt(second, "CAD1", 1, 90)
    _attempt(first, "MEM1", 1, 50)
    _attempt(old, "CAD1", 1, 10)
    _study_reports()
    evaluation = review_evaluation(cap=50)
    services.reviews_record(actor=None, scope=city_scope(), evaluation_id=evaluation.pk, entries=[
        services.ReviewInput("CAD1", (3, 5, 0, 0)), services.ReviewInput("MEM1", (6, 2, 0, 0))])
    services.evaluation_close(actor=None, scope=city_scope(), evaluation_id=evaluation.pk)
    services.weights_save(actor=None, scope=province_scope(), year=YEAR, values={
        "norms_weight": 40, "exams_weight": 20, "reports_weight": 20, "review_weight": 20})
    return tree


def review_evaluation(*, cap: int = 20, org: str = "C1", scope: Scope | None = None) -> Evaluation:
    today = timezone.localdate()
    return services.evaluation_create(actor=None, scope=scope or city_scope(), org_code=org,
                                      data=services.EvaluationInput(
                                          title=f"{YEAR} 年度民主评议党员", year=YEAR, kind="民主评议党员",
                                          opens=today, closes=today, excellent_cap=cap))
