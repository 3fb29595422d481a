"""考核评价: a scorecard per organization and per leading cadre, combining 制度落实, 考学, 述学 and 民主评议 with the
province's weights for the year. Every figure is counted in SQL over whole sets (one grouped query per
component), never subject by subject.

Each component gives points out of 100:
- 制度落实 (norms): the met rate of the standings, met / (met + short), exemptions aside, as the 督学 dashboard's
  落实率. An organization counts every standing of its subtree (its own rules, its people's and those of the
  organizations below); a leading cadre the standings whose subject is that person.
- 考学 (exams): the average percentage score of the exams opened in the year, the best submitted attempt of each
  exam a person took; an organization averages the attempts of its subtree's people. None taken: 0.
- 述学 (study reports): the reviewed report's rating in points (the weights row's mapping); a person's 年度 report,
  else the average of their half-year reports; an organization averages the reviewed reports of its subtree.
  None: the points of 未述学.
- 民主评议 (democratic review): the grade decided in the year's closed evaluations, in points (the weights row's
  mapping); an organization averages the grades of its subtree's people.
A component with nothing to count (no standing to meet, no review held) does not apply: it gets no points and
its weight is left out, so the total is the weighted sum over the components that apply, out of 100.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Sum, When
from django.db.models.functions import Substr

from xuexi.accounts.scope import Scope
from xuexi.assessment.models import DemocraticReview, EvaluationStatus, Grade, ScorecardWeights
from xuexi.exams.models import Attempt, Exam
from xuexi.norms import standings
from xuexi.norms.models import Standing, StandingRollup
from xuexi.orgs.models import Organization
from xuexi.people.models import LeaderPost, Person
from xuexi.studyreports.models import Status as ReportStatus
from xuexi.studyreports.models import StudyReport

SHANGHAI = ZoneInfo("Asia/Shanghai")
RATINGS = ("优秀", "良好", "一般", "较差")  # 述学评阅等次 (studyreports.Rating)
NORMS, EXAMS, REPORTS, REVIEW = "norms", "exams", "reports", "review"
LABELS = {NORMS: "制度落实", EXAMS: "考学", REPORTS: "述学", REVIEW: "民主评议"}


@dataclass(frozen=True)
class Weights:
    year: int
    norms: int
    exams: int
    reports: int
    review: int
    rating_points: Mapping[str, int]  # 优秀/良好/一般/较差 → points
    missing_report: int  # 未述学
    grade_points: Mapping[str, int]  # 优秀/合格/基本合格/不合格 → points
    is_default: bool = False  # no row for the year: the model's defaults

    def of(self, key: str) -> int:
        return {NORMS: self.norms, EXAMS: self.exams, REPORTS: self.reports, REVIEW: self.review}[key]


def weights_of(row: ScorecardWeights, *, is_default: bool = False) -> Weights:
    return Weights(
        year=row.year, norms=row.norms_weight, exams=row.exams_weight, reports=row.reports_weight,
        review=row.review_weight, missing_report=row.rating_missing, is_default=is_default,
        rating_points={"优秀": row.rating_excellent, "良好": row.rating_good, "一般": row.rating_fair,
                       "较差": row.rating_poor},
        grade_points={Grade.EXCELLENT: row.grade_excellent, Grade.QUALIFIED: row.grade_qualified,
                      Grade.BASICALLY_QUALIFIED: row.grade_basic, Grade.UNQUALIFIED: row.grade_unqualified})


def weights_for(year: int) -> Weights:
    """The weights set for a year, else the defaults (shown as such)."""
    row = ScorecardWeights.objects.filter(year=year).first()
    return weights_of(row) if row else weights_of(ScorecardWeights(year=year), is_default=True)


@dataclass(frozen=True)
class Component:
    key: str
    raw: str  # the figure as counted, explained
    points: float | None  # out of 100; None: does not apply
    weight: int

    @property
    def label(self) -> str:
        return LABELS[self.key]

    @property
    def weighted(self) -> float:
        return 0.0 if self.points is None else round(self.weight * self.points / 100, 2)


@dataclass
class Scorecard:
    code: str  # 组织编码 or 人员编号
    name: str
    org_code: str
    org_name: str
    components: list[Component] = field(default_factory=list)
    rank: int = 0

    @property
    def applied_weight(self) -> int:
        return sum(c.weight for c in self.components if c.points is not None)

    @property
    def total(self) -> float:
        """The weighted points over the components that apply, out of 100."""
        applied = self.applied_weight
        if not applied:
            return 0.0
        return round(sum(c.weight * (c.points or 0) for c in self.components if c.points is not None) / applied, 2)

    def component(self, key: str) -> Component:
        return next(c for c in self.components if c.key == key)


def _percent(part: float, whole: float) -> float:
    return round(100 * part / whole, 2)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return (datetime.combine(date(year, 1, 1), time.min, SHANGHAI),
            datetime.combine(date(year + 1, 1, 1), time.min, SHANGHAI))


def _ranked(cards: list[Scorecard]) -> list[Scorecard]:
    cards.sort(key=lambda c: (-c.total, c.code))
    for rank, card in enumerate(cards, start=1):
        card.rank = rank
    return cards


# -- the components, set-based -------------------------------------------------------------------------------
def _norms_component(met: int, short: int, weight: int) -> Component:
    counted = met + short
    if not counted:
        return Component(NORMS, "无适用的制度要求（不计）", None, weight)
    return Component(NORMS, f"达标 {met} / 应达标 {counted}（{_percent(met, counted)}%）", _percent(met, counted),
                     weight)


def _exams_component(total: float, count: int, weight: int) -> Component:
    if not count:
        return Component(EXAMS, "本年度未参加考试（0 分）", 0.0, weight)
    average = round(total / count, 2)
    return Component(EXAMS, f"{count} 场考试最好成绩的平均得分率 {average}%", average, weight)


def _reports_component(counts: Mapping[str, float], weights: Weights, *, whole: bool = False) -> Component:
    """counts: rating → number of reports (a person's half-years count half each)."""
    number = sum(counts.values())
    if not number:
        return Component(REPORTS, f"未述学（{weights.missing_report} 分）", float(weights.missing_report),
                         weights.reports)
    points = sum(weights.rating_points[r] * n for r, n in counts.items()) / number
    shown = "、".join(f"{r} {n:g}" for r, n in counts.items() if n)
    prefix = f"{number:g} 份已评阅述学报告：" if whole else "述学评阅："
    return Component(REPORTS, f"{prefix}{shown}（{round(points, 2)} 分）", round(points, 2), weights.reports)


def _review_component(counts: Mapping[str, int], weights: Weights, *, whole: bool = False) -> Component:
    number = sum(counts.values())
    if not number:
        return Component(REVIEW, "本年度无已结束的民主评议（不计）", None, weights.review)
    points = sum(weights.grade_points[g] * n for g, n in counts.items()) / number
    shown = "、".join(f"{g} {n}" for g, n in counts.items() if n)
    prefix = f"{number} 人次评议：" if whole else "评定等次："
    return Component(REVIEW, f"{prefix}{shown}（{round(points, 2)} 分）", round(points, 2), weights.review)


def _reviews(year: int) -> Q:
    return Q(evaluation__year=year, evaluation__status=EvaluationStatus.CLOSED) & ~Q(grade="")


# -- organizations ----------------------------------------------------------------------------------------------
def _child_exam_figures(parent: Organization, year: int, length: int) -> dict[str, tuple[float, int]]:
    """Per child path: the sum and number of the best percentage per (person, exam) of the child's subtree."""
    start, end = _year_bounds(year)
    q = connection.ops.quote_name
    attempt, exam = q(Attempt._meta.db_table), q(Exam._meta.db_table)
    person, org = q(Person._meta.db_table), q(Organization._meta.db_table)
    # Table names come from the models; every value is a parameter.
    sql = (f"SELECT SUBSTR(o.path, 1, %s), SUM(b.best), COUNT(*) FROM ("  # noqa: S608
           f"SELECT a.person_id, a.exam_id, MAX(a.score * 100.0 / a.total) AS best FROM {attempt} a "
           f"JOIN {exam} e ON e.id = a.exam_id "
           f"WHERE a.score IS NOT NULL AND a.total > 0 AND e.opens_at >= %s AND e.opens_at < %s "
           f"GROUP BY a.person_id, a.exam_id) b "
           f"JOIN {person} p ON p.id = b.person_id JOIN {org} o ON o.id = p.org_id "
           f"WHERE o.path LIKE %s AND o.depth > %s GROUP BY SUBSTR(o.path, 1, %s)")
    with connection.cursor() as cursor:
        cursor.execute(sql, [length, start, end, f"{parent.path}%", parent.depth, length])
        return {path: (float(total or 0), int(count)) for path, total, count in cursor.fetchall()}


def org_scorecards(*, scope: Scope, org: Organization, year: int) -> list[Scorecard]:
    """党建评先 and 领导班子 appraisal: each direct child of an organization (its whole subtree), ranked."""
    scope.require_business_data()
    weights = weights_for(year)
    children = list(Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True)
                    .order_by("path"))
    length = len(org.path) + Organization.steplen
    paths = [c.path for c in children]
    standings.ensure_year(year)
    norms: dict[str, tuple[int, int]] = {
        row["child_path"]: (row["met"] or 0, row["short"] or 0)
        for row in StandingRollup.objects.filter(year=year, org_path=org.path, child_path__in=paths)
        .values("child_path").annotate(met=Sum("met"), short=Sum("short"))}
    exams = _child_exam_figures(org, year, length)
    reports: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(RATINGS, 0.0))
    for child, rating, n in (StudyReport.objects.filter(year=year, status=ReportStatus.REVIEWED,
                                                        org__path__startswith=org.path, org__depth__gt=org.depth,
                                                        rating__in=RATINGS)
                             .annotate(child=Substr("org__path", 1, length))
                             .values_list("child", "rating").annotate(n=Count("id"))):
        reports[child][rating] += n
    grades: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Grade.values, 0))
    for child, grade, n in (DemocraticReview.objects.filter(_reviews(year), person__org__path__startswith=org.path,
                                                            person__org__depth__gt=org.depth)
                            .annotate(child=Substr("person__org__path", 1, length))
                            .values_list("child", "grade").annotate(n=Count("id"))):
        grades[child][grade] += n
    cards = []
    for child in children:
        met, short = norms.get(child.path, (0, 0))
        exam_total, exam_count = exams.get(child.path, (0.0, 0))
        cards.append(Scorecard(code=child.code, name=child.name, org_code=org.code, org_name=org.name, components=[
            _norms_component(met, short, weights.norms),
            _exams_component(exam_total, exam_count, weights.exams),
            _reports_component(reports[child.path], weights, whole=True),
            _review_component(grades[child.path], weights, whole=True),
        ]))
    return _ranked(cards)


# -- leading cadres ---------------------------------------------------------------------------------------------
def cadres_of(org: Organization) -> Iterable[Person]:
    """The leading cadres (领导职务 other than 无, or 中心组成员: as 述学 and the partial index person_leading_cadres
    state them) on the roster of an organization's subtree."""
    return (Person.objects.filter(~Q(leader_post=LeaderPost.NONE) | Q(central_group_member=True),
                                  org__path__startswith=org.path, is_active=True)
            .select_related("org").order_by("org__path", "number"))


def _cadre_norms(ids: Collection[int], year: int) -> dict[int, tuple[int, int]]:
    met = Case(When(exempt=False, short=False, then=1), default=0, output_field=IntegerField())
    short = Case(When(short=True, then=1), default=0, output_field=IntegerField())
    return {row["person_id"]: (row["met"], row["short"])
            for row in Standing.objects.filter(year=year, person_id__in=ids).values("person_id")
            .annotate(met=Sum(met), short=Sum(short))}


def _cadre_exams(ids: Collection[int], year: int) -> dict[int, tuple[float, int]]:
    start, end = _year_bounds(year)
    best: dict[tuple[int, int], float] = {}
    for person_id, exam_id, score, total in (
            Attempt.objects.filter(person_id__in=ids, score__isnull=False, total__gt=0, exam__opens_at__gte=start,
                                   exam__opens_at__lt=end).values_list("person_id", "exam_id", "score", "total")):
        key = (person_id, exam_id)
        best[key] = max(best.get(key, 0.0), 100.0 * (score or 0) / total)
    figures: dict[int, tuple[float, int]] = {}
    for (person_id, _), value in best.items():
        total_, count = figures.get(person_id, (0.0, 0))
        figures[person_id] = (total_ + value, count + 1)
    return figures


def _cadre_reports(ids: Collection[int], year: int) -> dict[int, dict[str, float]]:
    found: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for person_id, period, rating in StudyReport.objects.filter(
            person_id__in=ids, year=year, status=ReportStatus.REVIEWED, rating__in=RATINGS).values_list(
            "person_id", "period", "rating"):
        found[person_id][period].append(rating)
    counts: dict[int, dict[str, float]] = {}
    for person_id, periods in found.items():
        tally = dict.fromkeys(RATINGS, 0.0)
        if periods.get("年度"):
            tally[periods["年度"][0]] += 1
        else:  # the half-years, half each: their average
            ratings = [r for rs in periods.values() for r in rs]
            for rating in ratings:
                tally[rating] += 1 / len(ratings)
        counts[person_id] = tally
    return counts


def _cadre_grades(ids: Collection[int], year: int) -> dict[int, dict[str, int]]:
    grades: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Grade.values, 0))
    for person_id, grade in DemocraticReview.objects.filter(_reviews(year), person_id__in=ids).values_list(
            "person_id", "grade"):
        grades[person_id][grade] += 1
    return grades


def cadre_scorecards(*, scope: Scope, org: Organization, year: int) -> list[Scorecard]:
    """领导干部综合考核评价: each leading cadre of an organization's subtree, ranked."""
    scope.require_business_data()
    weights = weights_for(year)
    cadres = list(cadres_of(org))
    ids = [p.pk for p in cadres]
    standings.ensure_year(year)
    norms, exams = _cadre_norms(ids, year), _cadre_exams(ids, year)
    reports, grades = _cadre_reports(ids, year), _cadre_grades(ids, year)
    none = dict.fromkeys(RATINGS, 0.0)
    cards = [Scorecard(code=p.number, name=p.name, org_code=p.org.code, org_name=p.org.name, components=[
        _norms_component(*norms.get(p.pk, (0, 0)), weights.norms),
        _exams_component(*exams.get(p.pk, (0.0, 0)), weights.exams),
        _reports_component(reports.get(p.pk, none), weights),
        _review_component(grades[p.pk], weights),
    ]) for p in cadres]
    return _ranked(cards)
