"""我的学习: one person's year at a glance, read in a fixed handful of queries whatever the records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from xuexi.accounts.scope import Scope
from xuexi.exams.models import Attempt
from xuexi.exams.selectors import exams_for_person
from xuexi.learning import selectors as learning_selectors
from xuexi.learning.models import CreditTotal
from xuexi.library import selectors as library_selectors
from xuexi.mylearning.models import PracticeDay
from xuexi.mylearning.selectors import PersonPoints, person_points
from xuexi.norms import standings
from xuexi.norms.engine import STATUS_LABELS, Status
from xuexi.norms.models import RuleVersion, Standing
from xuexi.people.models import Person
from xuexi.studyreports.models import StudyReport

STREAK_WINDOW = 400  # days looked back for 每日一练's streak


@dataclass(frozen=True)
class KindTotal:
    kind: str
    hours: Decimal
    days: Decimal


@dataclass(frozen=True)
class NormRow:
    """One norm that applies to the person: the rule, what it asks and what the ledger holds."""

    rule: str
    name: str
    period: str
    required: Decimal
    actual: Decimal
    status: str  # met, missed, in_progress, exempt
    at_risk: bool
    deadline: date

    @property
    def label(self) -> str:
        return "进度滞后" if self.at_risk else STATUS_LABELS.get(self.status, self.status)

    @property
    def share(self) -> int:
        """Percent of the requirement reached, at most 100."""
        return 100 if self.required <= 0 else min(100, int(self.actual * 100 / self.required))


@dataclass(frozen=True)
class ExamLine:
    code: str
    title: str
    attempts: int
    best: int | None
    pass_mark: int
    passed: bool


@dataclass(frozen=True)
class Practice:
    done_today: bool
    right_today: int | None
    questions_today: int | None
    streak: int  # consecutive days up to today (or yesterday, while today's is still to do)
    days_this_year: int


@dataclass(frozen=True)
class StudyReportLine:
    period: str
    title: str
    status: str
    rating: str


@dataclass(frozen=True)
class MyLearning:
    person: Person
    year: int
    today: date
    kinds: list[KindTotal]
    total_hours: Decimal
    total_days: Decimal
    norms: list[NormRow] | None  # None: that year's standings are not held
    plan: learning_selectors.PersonalProgress
    org_plan: learning_selectors.PlanProgress | None
    exams: list[ExamLine]
    open_exams: int
    practice: Practice
    study_reports: list[StudyReportLine]
    pushed_today: int
    points: PersonPoints


def kind_totals(person: Person, year: int) -> list[KindTotal]:
    """The year's credited hours and days by kind, from the ledger's totals."""
    rows = (CreditTotal.objects.filter(person=person, year=year).values("kind")
            .annotate(h=Sum("hours_centi"), d=Sum("days_centi")).order_by("kind"))
    return [KindTotal(r["kind"], Decimal(r["h"]) / 100, Decimal(r["d"]) / 100) for r in rows if r["h"] or r["d"]]


def norm_rows(person: Person, year: int, today: date) -> list[NormRow] | None:
    """The person's rows of the norms that apply to them (their standings), with the status on the day.

    This year's standings are built on first need, as every compliance page does; a past year not held
    gives None rather than a province-wide evaluation started by one member's page.
    """
    if year >= today.year:
        standings.ensure_year(year)
    elif not standings.is_held(year):
        return None
    held = Standing.objects.filter(year=year, person=person).order_by("rule__code", "start_day")
    rows = list(standings.rows_of(held, today))
    names = dict(RuleVersion.objects.filter(pk__in={r.version_id for r in rows}).values_list("pk", "name"))
    return [NormRow(rule=r.rule, name=names.get(r.version_id, r.rule), period=r.period, required=r.required,
                    actual=r.actual, status=r.status, at_risk=r.at_risk and r.status == Status.IN_PROGRESS,
                    deadline=r.deadline) for r in rows]


def exam_lines(person: Person) -> list[ExamLine]:
    """Each exam the person handed in: attempts, best score, passed."""
    rows = (Attempt.objects.filter(person=person, submitted_at__isnull=False)
            .values("exam__code", "exam__title", "exam__pass_mark")
            .annotate(tries=Count("id"), best=Max("score"), passes=Count("id", filter=Q(passed=True)))
            .order_by("-exam__opens_at", "exam__code"))
    return [ExamLine(r["exam__code"], r["exam__title"], r["tries"], r["best"], r["exam__pass_mark"], r["passes"] > 0)
            for r in rows]


def practice_of(person: Person, year: int, today: date) -> Practice:
    """每日一练: today's, the streak, and the days of the year."""
    since = min(date(year, 1, 1), today - timedelta(days=STREAK_WINDOW))
    days = dict(PracticeDay.objects.filter(person=person, day__gte=since, day__lte=max(today, date(year, 12, 31)))
                .values_list("day", "right"))
    questions = PracticeDay.objects.filter(person=person, day=today).values_list("questions", flat=True).first()
    streak = 0
    day = today if today in days else today - timedelta(days=1)
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return Practice(done_today=today in days, right_today=days.get(today), questions_today=questions, streak=streak,
                    days_this_year=sum(1 for d in days if d.year == year))


def study_report_lines(person: Person, year: int) -> list[StudyReportLine]:
    """述学 reports of the year."""
    return [StudyReportLine(r.get_period_display(), r.title, r.get_status_display(), r.get_rating_display())
            for r in StudyReport.objects.filter(person=person, year=year).order_by("period")]


def my_learning(*, scope: Scope, person: Person, year: int, today: date | None = None) -> MyLearning:
    """我的学习 of the person fetched through my_person: hours, norms, plans, exams, practice, 述学, points."""
    today = today or timezone.localdate()
    kinds = kind_totals(person, year)
    org_plan = learning_selectors.study_plan_for(scope=scope, org=person.org, year=year)
    now = timezone.now()
    return MyLearning(
        person=person, year=year, today=today, kinds=kinds,
        total_hours=sum((k.hours for k in kinds), Decimal(0)), total_days=sum((k.days for k in kinds), Decimal(0)),
        norms=norm_rows(person, year, today),
        plan=learning_selectors.personal_plan_progress(scope=scope, person=person, year=year),
        org_plan=learning_selectors.study_plan_progress(plan=org_plan) if org_plan else None,
        exams=exam_lines(person),
        open_exams=exams_for_person(person).filter(opens_at__lte=now, closes_at__gte=now).count(),
        practice=practice_of(person, year, today),
        study_reports=study_report_lines(person, year),
        pushed_today=sum(len(push.entries.all()) for push in library_selectors.pushes_for(scope=scope, date=today)),
        points=person_points(person=person, year=year, today=today),
    )
