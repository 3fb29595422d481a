"""Demo 述学: the province asks its leading cadres to report on last year and on this year's first half; most of
the central-group members report, some are returned, many reviewed. Set-based: a few thousand rows at province
scale (only the committees' central-group members write, all of the demo city's and a sample elsewhere; the branch
secretaries with posts stay not reported)."""

from __future__ import annotations

import random
import zoneinfo
from datetime import date, datetime, timedelta
from typing import Any

from xuexi.bulk import bulk_insert, next_id, reset_sequence
from xuexi.orgs.models import Organization
from xuexi.people.models import Person
from xuexi.studyreports.models import (
    Audience,
    EventAction,
    Period,
    Rating,
    Status,
    StudyReport,
    StudyReportCall,
    StudyReportEvent,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DEMO_CITY = "220100"  # 长春市, where the demo administrators sit
SAMPLE = 3000  # cadres who write, at most about, in a province
COMMENTS: dict[str, str] = {Status.RETURNED: "请结合分管工作补充学用结合的具体事例。",
                            Status.REVIEWED: "学习认真，联系实际。"}
RATINGS = (Rating.EXCELLENT, Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.FAIR)
BODY = ("一、学习情况：{year} 年{period}，认真参加中心组集体学习，系统学习党的创新理论，坚持个人自学，撰写学习体会。\n"
        "二、学用结合：围绕分管工作开展调查研究，形成调研报告，推动学习成果转化为工作思路和措施。\n"
        "三、存在不足和努力方向：学习的系统性还需加强，今后将制定个人学习计划，做到学深悟透。")


def generate_study_reports(*, rng: random.Random, today: date, now: datetime) -> int:
    """Two calls of the province and the central-group members' reports on them; returns the reports written."""
    root = Organization.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return 0
    calls = [(today.year - 1, Period.YEAR, date(today.year, 1, 20), f"{today.year - 1} 年度领导干部述学"),
             (today.year, Period.FIRST_HALF, date(today.year, 7, 15), f"{today.year} 年上半年领导干部述学")]
    call_id, report_id, event_id = next_id(StudyReportCall), next_id(StudyReport), next_id(StudyReportEvent)
    call_rows, report_rows, event_rows = [], [], []
    everyone = list(Person.objects.filter(is_active=True, central_group_member=True).order_by("id")
                    .values_list("id", "org_id", "name", "org__path"))
    # The demo city's cadres all take part (its administrators look at them); elsewhere a sample, so that a
    # province writes a few thousand reports, not tens of thousands.
    city = Organization.objects.filter(code=DEMO_CITY).values_list("path", flat=True).first() or root.path
    near = [row for row in everyone if row[3].startswith(city)]
    share = min(1.0, max(0, SAMPLE - len(near)) / max(1, len(everyone) - len(near)))
    cadres = [row[:3] for row in everyone if row[3].startswith(city) or rng.random() < share]
    for year, period, due, title in calls:
        call_rows.append((call_id, root.pk, year, period, Audience.LEADING_CADRES, due, title,
                          "请各级领导干部结合学习和工作实际撰写述学报告，按期提交所在党组织评阅。", "演示数据", now))
        opened = datetime(due.year, due.month, 1, 9, tzinfo=SHANGHAI) - timedelta(days=25)
        for person_id, org_id, name in cadres:
            roll = rng.random()
            if roll < 0.12:
                continue  # not reported
            sent = opened + timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 8))
            if sent > now:
                continue
            body = BODY.format(year=year, period=period)
            reviewed = sent + timedelta(days=rng.randint(1, 12))
            outcome = rng.random()
            if roll < 0.16:
                status: str = Status.DRAFT
            elif reviewed > now or outcome < 0.25:
                status = Status.SUBMITTED
            elif outcome < 0.35:
                status = Status.RETURNED
            else:
                status = Status.REVIEWED
            rating = rng.choice(RATINGS) if status == Status.REVIEWED else ""
            comment = COMMENTS.get(status, "")
            row: tuple[Any, ...] = (
                report_id, person_id, org_id, call_id, year, period, f"{name}{year}年{period}述学报告", body, status,
                sent, sent, None if status == Status.DRAFT else sent,
                reviewed if status == Status.REVIEWED else None, "演示数据" if status == Status.REVIEWED else "",
                comment, rating)
            report_rows.append(row)
            if status != Status.DRAFT:
                event_rows.append((event_id, report_id, EventAction.SUBMITTED, sent, name, row[6], body, "", ""))
                event_id += 1
            if status in (Status.RETURNED, Status.REVIEWED):
                action = EventAction.REVIEWED if status == Status.REVIEWED else EventAction.RETURNED
                event_rows.append((event_id, report_id, action, reviewed, "演示数据", "", "", comment, rating))
                event_id += 1
            report_id += 1
        call_id += 1
    bulk_insert(StudyReportCall, ("id", "org_id", "year", "period", "who", "due_date", "title", "note", "created_by",
                                  "created_at"), call_rows)
    bulk_insert(StudyReport, ("id", "person_id", "org_id", "call_id", "year", "period", "title", "body", "status",
                              "created_at", "updated_at", "submitted_at", "reviewed_at", "reviewed_by", "comment",
                              "rating"), report_rows)
    bulk_insert(StudyReportEvent, ("id", "report_id", "action", "at", "actor_name", "title", "body", "comment",
                                   "rating"), event_rows)
    for model in (StudyReportCall, StudyReport, StudyReportEvent):
        reset_sequence(model)
    return len(report_rows)
