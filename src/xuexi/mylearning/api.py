"""我的学习 and 学习积分 over HTTP: the signed-in person's own year, never anyone else's."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from xuexi.accounts.scope import Scope
from xuexi.mylearning.access import my_person
from xuexi.mylearning.overview import MyLearning, my_learning
from xuexi.mylearning.schemas import (
    DayPointsOut,
    ExamOut,
    GoalOut,
    KindOut,
    MyLearningOut,
    NormOut,
    OrgPlanOut,
    PlanOut,
    PointsOut,
    PracticeOut,
    RulePointsOut,
    StudyReportOut,
    YearQuery,
)
from xuexi.mylearning.selectors import PersonPoints, person_points

router = Router(tags=["我的学习"])
POINTS_NOTE = "积分按现行规则从学习记录计算；所在组织未开启学习积分时不计算、不显示。积分只作激励，不作考核。"


def _scope(request: HttpRequest) -> Scope:
    return Scope.for_user(request.auth)  # type: ignore[attr-defined]


def points_out(points: PersonPoints) -> PointsOut:
    return PointsOut(
        year=points.year, shown=points.shown, total=points.total, today=points.today,
        by_rule=[RulePointsOut(action=r.action, points_each=r.points_each, daily_cap=r.daily_cap,
                               unit_minutes=r.unit_minutes, earned=r.earned) for r in points.by_rule],
        recent=[DayPointsOut(day=day, points=n) for day, n in points.recent], note=POINTS_NOTE,
    )


def learning_out(mine: MyLearning) -> MyLearningOut:
    plan, org_plan = mine.plan, mine.org_plan
    return MyLearningOut(
        person_number=mine.person.number, person_name=mine.person.name, org_code=mine.person.org.code,
        org_name=mine.person.org.name, year=mine.year, total_hours=float(mine.total_hours),
        total_days=float(mine.total_days),
        by_kind=[KindOut(kind=k.kind, hours=float(k.hours), days=float(k.days)) for k in mine.kinds],
        norms=[NormOut(rule=n.rule, name=n.name, period=n.period, required=float(n.required), actual=float(n.actual),
                       status=n.status, label=n.label, at_risk=n.at_risk, deadline=n.deadline)
               for n in mine.norms or []],
        plan=PlanOut(goal_hours=float(plan.goal_hours), credited_hours=float(plan.credited_hours), share=plan.share,
                     topics=[GoalOut(goal=g.goal, records=len(g.entries)) for g in plan.topics],
                     books=[GoalOut(goal=g.goal, records=len(g.entries)) for g in plan.books]),
        org_plan=OrgPlanOut(title=org_plan.plan.title, items=len(org_plan.items), done=org_plan.done,
                            share=org_plan.share) if org_plan else None,
        exams=[ExamOut(code=e.code, title=e.title, attempts=e.attempts, best=e.best, pass_mark=e.pass_mark,
                       passed=e.passed) for e in mine.exams],
        open_exams=mine.open_exams,
        practice=PracticeOut(done_today=mine.practice.done_today, right_today=mine.practice.right_today,
                             questions_today=mine.practice.questions_today, streak=mine.practice.streak,
                             days_this_year=mine.practice.days_this_year),
        study_reports=[StudyReportOut(period=r.period, title=r.title, status=r.status, rating=r.rating)
                       for r in mine.study_reports],
        pushed_today=mine.pushed_today, points=points_out(mine.points),
    )


@router.get("/me/learning", response=MyLearningOut,
            summary="我的学习：本人一年的学时（按类型）、适用的制度要求、个人和组织学习计划、考试、每日一练、述学、积分")
def me_learning(request: HttpRequest, query: Query[YearQuery]) -> MyLearningOut:
    scope = _scope(request)
    person = my_person(scope=scope)
    return learning_out(my_learning(scope=scope, person=person, year=query.year or timezone.localdate().year))


@router.get("/me/points", response=PointsOut,
            summary="我的学习积分：按规则和按天（最近 30 天）；所在组织未开启学习积分时只返回未开启")
def me_points(request: HttpRequest, query: Query[YearQuery]) -> PointsOut:
    person = my_person(scope=_scope(request))
    today = timezone.localdate()
    return points_out(person_points(person=person, year=query.year or today.year, today=today))
