"""Demo annual reports on last year: most sent on time and decided on, some late, returned, in draft or not begun.

Written set-based (a province holds tens of thousands of organizations); the text is short and
generic, the figures are the organization's hosted activities, so the parents' inboxes and
compilations have something to show. The annual-report rule's standings are built after this.
"""

from __future__ import annotations

import json
import random
import zoneinfo
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count

from xuexi.bulk import bulk_insert, next_id, reset_sequence
from xuexi.learning.models import Activity
from xuexi.orgs.models import Organization
from xuexi.reports.models import AnnualReport, Decision, ReportState, ReportVersion

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _texts(name: str, year: int, activities: int) -> dict[str, str]:
    return {
        "basics": f"{year} 年，{name}共主办学习活动 {activities} 次，坚持中心组学习、党员教育培训和个人自学制度。",
        "practices": "坚持领导带头、以上率下，创新学习方式，推动学习成果转化为工作思路和措施。",
        "problems": "一是学习的系统性还需加强；二是学用结合还需深化。",
        "next_plan": f"{year + 1} 年将按照年度学习计划，每季度组织中心组集体学习，年内开展党员教育培训。",
    }


def generate_reports(*, rng: random.Random, today: date, now: datetime) -> int:
    """Reports on last year for every organization with a parent; returns how many were written."""
    year = today.year - 1
    hosted = dict(Activity.objects.filter(start_date__year=year).values_list("host_id").annotate(n=Count("id")))
    report_rows: list[tuple[Any, ...]] = []
    version_rows: list[tuple[Any, ...]] = []
    report_id, version_id = next_id(AnnualReport), next_id(ReportVersion)
    deadline = datetime(year + 1, 1, 31, 23, 59, 59, tzinfo=SHANGHAI)
    for org_id, name in Organization.objects.filter(depth__gt=1, is_active=True).values_list("id", "name").order_by(
            "path").iterator(chunk_size=20000):
        roll = rng.random()
        if roll < 0.05:
            continue  # not begun
        texts = _texts(name, year, hosted.get(org_id, 0))
        figures = json.dumps({"activities": hosted.get(org_id, 0)}, ensure_ascii=False)
        if roll < 0.12:
            report_rows.append((report_id, org_id, year, ReportState.DRAFT, *texts.values(), figures, now, now,
                                "演示数据", None))
            report_id += 1
            continue
        # Sent in January; one in twelve after the deadline, on a February day.
        late = rng.random() < 0.08
        sent = (deadline + timedelta(days=rng.randint(1, 20)) if late
                else datetime(year + 1, 1, rng.randint(5, 31), rng.randint(8, 17), tzinfo=SHANGHAI))
        if sent > now:
            report_rows.append((report_id, org_id, year, ReportState.DRAFT, *texts.values(), figures, now, now,
                                "演示数据", None))
            report_id += 1
            continue
        decided = sent + timedelta(days=rng.randint(1, 10))
        outcome = rng.random()
        if decided > now or outcome < 0.15:
            state, decision, comments = ReportState.SUBMITTED, Decision.PENDING, ""
        elif outcome < 0.25:
            state, decision, comments = ReportState.RETURNED, Decision.RETURNED, "请补充调查研究和成果转化情况。"
        else:
            state, decision, comments = ReportState.ACCEPTED, Decision.ACCEPTED, ""
        report_rows.append((report_id, org_id, year, state, *texts.values(), figures, now, now, "演示数据", sent))
        version_rows.append((version_id, report_id, 1, *texts.values(), figures, sent, "演示数据", late, decision,
                             comments, decided if decision else None, "演示数据" if decision else ""))
        report_id += 1
        version_id += 1
    bulk_insert(AnnualReport, ("id", "org_id", "year", "state", "basics", "practices", "problems", "next_plan",
                               "figures", "drafted_at", "updated_at", "updated_by", "first_submitted_at"),
                report_rows)
    bulk_insert(ReportVersion, ("id", "report_id", "number", "basics", "practices", "problems", "next_plan",
                                "figures", "submitted_at", "submitted_by", "late", "decision", "comments",
                                "decided_at", "decided_by"), version_rows)
    reset_sequence(AnnualReport)
    reset_sequence(ReportVersion)
    return len(report_rows)
