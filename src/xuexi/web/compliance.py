"""制度落实 pages: a subject's rows with the records behind them, and a subtree's roll-up (一级抓一级)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.scope import Scope
from xuexi.exchange.files import write_workbook
from xuexi.norms import selectors as norms_selectors
from xuexi.norms.engine import STATUS_LABELS
from xuexi.orgs.access import access_org
from xuexi.outcomes.selectors import experience_counts, outcome_counts
from xuexi.people.access import access_person
from xuexi.web.learning import XLSX_CONTENT_TYPE


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _year_and_day(request: HttpRequest) -> tuple[int, date]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = today.year
    year = min(max(year, 2010), today.year)
    return year, today


@login_required
def person_compliance(request: HttpRequest, number: str) -> HttpResponse:
    scope = _scope(request)
    person = access_person(scope=scope, number=number)
    year, today = _year_and_day(request)
    rows = norms_selectors.subject_compliance(scope=scope, subject=person, year=year, as_of=today)
    return render(request, "web/compliance/subject.html", {
        "subject_name": person.name, "person": person, "rows": rows, "year": year, "as_of": today,
        "labels": STATUS_LABELS, "years": range(today.year, 2009, -1),
    })


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value}%"


def _tally_cells(tally: norms_selectors.Tally) -> list[object]:
    return [tally.met, tally.missed, tally.in_progress, tally.at_risk, tally.exempt, _percent(tally.percent)]


BEHIND_SHOWN = 50
BEHIND_EXPORTED = 100_000
TALLY_HEADERS = ["达标", "未达标", "进行中", "其中进度落后", "豁免", "落实率"]
BEHIND_HEADERS = ["制度要求", "周期", "对象类型", "编码", "名称", "所属组织", "要求", "实际", "状态", "进度落后"]


def _dashboard_workbook(rollup: norms_selectors.Rollup, trend: list[norms_selectors.QuarterPoint],
                        coverage: list[norms_selectors.GroupCoverage], outcomes: dict[str, int],
                        experiences: dict[str, int]) -> tuple[bytes, int]:
    names = rollup.child_names
    by_rule = [[r.name, *_tally_cells(r.total)] for r in rollup.rules]
    by_child = [[r.name, code, names.get(code, code), *_tally_cells(t)] for r in rollup.rules
                for code, t in r.children_ranked()]
    by_level = [[r.name, level, *_tally_cells(t)] for r in rollup.rules for level, t in r.by_level.items()]
    by_sector = [[r.name, sector, *_tally_cells(t)] for r in rollup.rules for sector, t in r.by_sector.items()]
    behind: list[list[object]] = [
        [r.name, row.period, "人员" if row.subject_type == "person" else "组织", row.subject, row.subject_name,
         row.org, row.required, row.actual, STATUS_LABELS[row.status], "是" if row.at_risk else "否"]
        for r in rollup.rules for row in r.behind]
    sheets: list[tuple[str, list[str], list[list[object]]]] = [
        ("各项制度", ["制度要求", *TALLY_HEADERS], by_rule),
        ("按下级组织", ["制度要求", "组织编码", "组织", *TALLY_HEADERS], by_child),
        ("按组织层级", ["制度要求", "组织层级", *TALLY_HEADERS], by_level),
        ("按单位类别", ["制度要求", "单位类别", *TALLY_HEADERS], by_sector),
        ("季度趋势", ["季度", f"{rollup.year}年落实率", f"{rollup.year - 1}年落实率"],
         [[f"第{p.quarter}季度", _percent(p.this_year), _percent(p.last_year)] for p in trend]),
        ("关注群体学习覆盖", ["关注群体", "人数", "参加学习人数", "覆盖率"],
         [[c.group, c.people, c.learners, _percent(c.percent)] for c in coverage]),
        ("未达标和进度落后", BEHIND_HEADERS, behind),
        # The counts the page shows: withdrawn outcomes left out; 典型经验 also by review status.
        ("学习成果统计", ["类别", "数量"], [*([kind, n] for kind, n in outcomes.items()),
                                        *([f"典型经验（{status}）", n] for status, n in experiences.items())]),
    ]
    return write_workbook(sheets), sum(len(cells) for _, _, cells in sheets)


def _charts(rollup: norms_selectors.Rollup, trend: list[norms_selectors.QuarterPoint],
            coverage: list[norms_selectors.GroupCoverage]) -> dict[str, Any]:
    names = rollup.child_names
    charts: dict[str, Any] = {
        "chart-rules": {"type": "bar", "categories": [r.name for r in rollup.rules],
                        "series": [{"name": "落实率", "data": [r.total.percent for r in rollup.rules]}]},
        "chart-trend": {"type": "line", "categories": [f"第{p.quarter}季度" for p in trend], "series": [
            {"name": f"{rollup.year} 年", "data": [p.this_year for p in trend]},
            {"name": f"{rollup.year - 1} 年", "data": [p.last_year for p in trend]}]},
        "chart-coverage": {"type": "bar", "categories": [c.group for c in coverage],
                           "series": [{"name": "学习覆盖率", "data": [c.percent for c in coverage]}]},
    }
    for r in rollup.rules:
        ranked = r.children_ranked()
        charts[f"chart-children-{r.rule}"] = {"type": "hbar", "categories": [names.get(c, c) for c, _ in ranked],
                                              "series": [{"name": "落实率", "data": [t.percent for _, t in ranked]}]}
    return charts


@login_required
def org_compliance(request: HttpRequest, code: str) -> HttpResponse:
    """督学: the subtree's compliance rule by rule, by child (ranked), 组织层级 and 单位类别, the quarter trend
    against last year, the 关注群体's coverage and who is behind; exportable to xlsx."""
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    year, today = _year_and_day(request)
    exporting = request.GET.get("format") == "xlsx"
    # The page names the first subjects behind of each rule; the export, all of them.
    rollup = norms_selectors.subtree_rollup(scope=scope, org=org, year=year, as_of=today,
                                            behind_limit=BEHIND_EXPORTED if exporting else BEHIND_SHOWN)
    trend = norms_selectors.quarter_trend(scope=scope, org=org, year=year, as_of=today)
    coverage = norms_selectors.focus_group_coverage(scope=scope, org=org, year=year)
    if exporting:
        data, rows = _dashboard_workbook(rollup, trend, coverage, outcome_counts(scope=scope, org=org, year=year),
                                         experience_counts(scope=scope, org=org, year=year))
        response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="compliance-{org.code}-{year}.xlsx"'
        audit_record(action="export", actor=request.user, object_type="compliance",  # type: ignore[arg-type]
                     object_id=org.code, detail={"rows": rows, "year": year})
        return response
    own = norms_selectors.subject_compliance(scope=scope, subject=org, year=year, as_of=today)
    names = rollup.child_names
    return render(request, "web/compliance/org.html", {
        "org": org, "rows": own, "rollup": rollup, "trend": trend, "coverage": coverage,
        "charts": _charts(rollup, trend, coverage), "year": year,
        "sections": [(r, [(code, names.get(code, code), t) for code, t in r.children_ranked()]) for r in rollup.rules],
        "as_of": today, "labels": STATUS_LABELS, "years": range(today.year, 2009, -1), "behind_shown": BEHIND_SHOWN,
        "outcomes": outcome_counts(scope=scope, org=org, year=year),
        "experiences": experience_counts(scope=scope, org=org, year=year),
    })
