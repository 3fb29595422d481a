"""The report drafted from the record (fill once, use many): its key figures and the first text of its four parts.

Everything here is read from what the platform already holds — the activities the organization and
its subtree hosted, attendance, the norms' standings, the next year's study plan — so that an
administrator edits a draft instead of typing the year again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Count, Q

from xuexi.accounts.scope import Scope
from xuexi.learning import selectors as learning_selectors
from xuexi.learning.models import Activity, ActivityContentArea, ActivityKind, AttendanceStatus, StudyPlan
from xuexi.norms import selectors as norms_selectors
from xuexi.norms.models import Standing, SubjectType
from xuexi.norms.standings import missed_or_behind, rows_of
from xuexi.orgs.models import Organization
from xuexi.outcomes import selectors as outcome_selectors

ORDINALS = "一二三四五六七八九十"
QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


def _count_text(counts: dict[str, int], order: Sequence[str]) -> str:
    return "、".join(f"{name} {counts[name]} 次" for name in order if counts.get(name))


def figures_of(*, scope: Scope, org: Organization, year: int, as_of: date) -> dict[str, Any]:
    """The key figures of the year, as JSON: they go into every version and the parent's compilation."""
    own = Activity.objects.filter(host=org, start_date__year=year)
    subtree = Activity.objects.filter(host__path__startswith=org.path, start_date__year=year)
    by_kind = dict(own.values_list("kind").annotate(n=Count("id")))
    subtree_by_kind = dict(subtree.values_list("kind").annotate(n=Count("id")))
    by_area = dict(ActivityContentArea.objects.filter(activity__in=own).values_list("area").annotate(n=Count("id")))
    sessions = [0, 0, 0, 0]
    for day in own.filter(kind=ActivityKind.CENTRAL_GROUP_STUDY).values_list("start_date", flat=True):
        sessions[(day.month - 1) // 3] += 1
    trainings = subtree.filter(kind=ActivityKind.TRAINING)
    present = own.aggregate(n=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)))["n"]
    rules = [{"rule": rate.rule, "name": rate.name, "met": rate.tally.met, "missed": rate.tally.missed,
              "in_progress": rate.tally.in_progress, "at_risk": rate.tally.at_risk, "percent": rate.tally.percent}
             for rate in norms_selectors.rule_rates(scope=scope, org=org, year=year, as_of=as_of)]
    campaigns = sorted(set(subtree.exclude(campaign=None).values_list("campaign__name", flat=True)))
    outcomes = outcome_selectors.outcome_counts(scope=scope, org=org, year=year, subtree=True)
    return {
        "activities": sum(by_kind.values()), "by_kind": by_kind, "by_area": by_area,
        "subtree_activities": sum(subtree_by_kind.values()), "subtree_by_kind": subtree_by_kind,
        "central_group_sessions": sessions if org.has_central_group else None,
        "trainings": trainings.count(), "off_job_trainings": trainings.filter(off_job=True).count(),
        "attendances": present, "rules": rules, "campaigns": campaigns, "outcomes": outcomes,
    }


def _basics(org: Organization, year: int, figures: dict[str, Any]) -> str:
    kinds = list(ActivityKind.values)
    lines = []
    own = _count_text(figures["by_kind"], kinds)
    lines.append(f"{year} 年，{org.name}共主办学习活动 {figures['activities']} 次" + (f"，其中{own}" if own else "")
                 + f"，参加学习 {figures['attendances']} 人次。")
    if figures["subtree_activities"] != figures["activities"]:
        lines.append(f"本级及所属党组织共开展学习活动 {figures['subtree_activities']} 次，其中"
                     f"{_count_text(figures['subtree_by_kind'], kinds)}。")
    if figures["by_area"]:
        areas = "、".join(f"{area}（{n} 次）" for area, n in sorted(figures["by_area"].items(), key=lambda i: -i[1]))
        lines.append(f"学习内容涵盖{areas}。")
    sessions = figures["central_group_sessions"]
    if sessions is not None:
        quarters = "，".join(f"{QUARTERS[q]} {n} 次" for q, n in enumerate(sessions))
        lines.append(f"党委（党组）中心组集体学习 {sum(sessions)} 次：{quarters}。")
    if figures["trainings"]:
        lines.append(f"举办党员教育培训 {figures['trainings']} 期，其中脱产培训 {figures['off_job_trainings']} 期。")
    for rule in figures["rules"]:
        if rule["percent"] is not None:
            lines.append(f"{rule['name']}：落实率 {rule['percent']}%（达标 {rule['met']}，未达标 {rule['missed']}，"
                         f"进行中 {rule['in_progress']}）。")
    if figures["campaigns"]:
        lines.append(f"参加{'、'.join(figures['campaigns'])}等主题教育。")
    return "\n".join(lines)


def _practices(scope: Scope, org: Organization, year: int, figures: dict[str, Any]) -> str:
    lines = ["（请结合本单位实际，写明健全学习制度、创新学习方式、推动学用结合的主要做法。）"]
    outcomes = figures["outcomes"]
    made = "、".join(f"{kind} {n} 项" for kind, n in outcomes.items() if n and kind != outcome_selectors.ADOPTED)
    if made:
        adopted = outcomes.get(outcome_selectors.ADOPTED, 0)
        lines.append(f"学习成果转化：形成{made}" + (f"，其中决策建议被采纳 {adopted} 项" if adopted else "") + "。")
    plan = learning_selectors.study_plan_for(scope=scope, org=org, year=year)
    if plan is not None:
        progress = learning_selectors.study_plan_progress(plan=plan)
        lines.append(f"年度学习计划共 {len(progress.items)} 项，已落实 {progress.done} 项。")
    return "\n".join(lines)


def _problems(org: Organization, year: int, as_of: date, figures: dict[str, Any]) -> str:
    """Drafted from the norms missed or behind: the organization's own rows, then its subtree's rates."""
    own = Standing.objects.filter(year=year, subject_type=SubjectType.ORG, org=org)
    problems = []
    for row in rows_of(missed_or_behind(own, as_of).select_related("rule").order_by("rule__code", "start_day"),
                       as_of):
        what = "未达到要求" if row.status == "missed" else "进度落后"
        problems.append(f"{row.period}“{row.rule}”{what}（要求 {row.required.normalize():f}，"
                        f"实际 {row.actual.normalize():f}）")
    for rule in figures["rules"]:
        short = rule["missed"] + rule["at_risk"]
        if short:
            problems.append(f"{rule['name']}：未达标 {rule['missed']} 个、进度落后 {rule['at_risk']} 个对象")
    if not problems:
        return "各项制度要求均已落实。（请结合实际补充学习中存在的问题和不足。）"
    return "\n".join(f"{ORDINALS[i] if i < len(ORDINALS) else i + 1}是{text}。" for i, text in enumerate(problems))


def _next_plan(org: Organization, year: int) -> str:
    plan = StudyPlan.objects.filter(org=org, year=year + 1).prefetch_related("items").first()
    if plan is None:
        return (f"（尚未制定 {year + 1} 年度学习计划。请在本组织的“学习计划”中制定后重新生成草稿，或在此直接填写。）")
    lines = [plan.title + "。"]
    for quarter in range(1, 5):
        items = [f"{item.kind}“{item.topic}”" for item in plan.items.all() if item.quarter == quarter]
        if items:
            lines.append(f"{QUARTERS[quarter - 1]}：{'；'.join(items)}。")
    if plan.reading_list:
        lines.append(f"学习书目：{'、'.join(f'《{book}》' for book in plan.reading_list)}。")
    return "\n".join(lines)


def draft(*, scope: Scope, org: Organization, year: int, as_of: date) -> dict[str, Any]:
    """The four parts and the figures of a fresh draft."""
    figures = figures_of(scope=scope, org=org, year=year, as_of=as_of)
    return {
        "figures": figures,
        "basics": _basics(org, year, figures),
        "practices": _practices(scope, org, year, figures),
        "problems": _problems(org, year, as_of, figures),
        "next_plan": _next_plan(org, year),
    }
