"""A year of learning for the demo province, in proportions that leave norms met, missed and at risk.

Written set-based like the rest of the demo: rows are generated in Python and copied in bulk.
The year runs from 1 January to the day before `today`, so the current quarter is still in progress.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from xuexi.bulk import adapt_datetime, bulk_insert, next_id, reset_sequence
from xuexi.learning.models import (
    Activity,
    ActivityContentArea,
    Attendance,
    Campaign,
    CampaignRequirement,
    ContentArea,
    CreditRule,
    LearningClaim,
    PersonalPlan,
    StudyPlan,
    StudyPlanItem,
)
from xuexi.people.models import Person

AREAS = list(ContentArea.values)
TOPICS = [
    "学习贯彻党的二十大精神", "深入学习习近平新时代中国特色社会主义思想", "学习党章党规", "学习省委全会精神",
    "推进吉林全面振兴", "社会主义核心价值观专题", "乡村振兴专题", "营商环境建设专题", "安全生产专题",
    "基层治理专题", "数字经济专题", "生态环境保护专题", "作风建设专题", "法治建设专题",
]


@dataclass
class _Org:
    id: int
    code: str
    path: str
    level: str
    has_central_group: bool
    leaders: str


@dataclass
class _Person:
    id: int
    org_id: int
    leader_post: str
    rank: str
    central: bool


class _Activities:
    """Collects activities with explicit ids, their content areas and their attendance."""

    def __init__(self, first_id: int, now: Any) -> None:
        self.next_id = first_id
        self.now = now
        self.recorded_at = adapt_datetime(now)
        self.activities: list[tuple[Any, ...]] = []
        self.areas: list[tuple[int, str]] = []
        self.activity_count = 0
        self.attendance_count = 0

    def add(self, *, number: str, kind: str, host: int, start: date, days: int = 1, hours: Decimal | None = None,
            topic: str, areas: Sequence[str] = (), training_type: str = "", off_job: bool = False,
            speaker: str = "", speaker_id: int | None = None, campaign_id: int | None = None) -> int:
        activity_id = self.next_id
        self.next_id += 1
        self.activities.append((activity_id, number, kind, host, start, start + timedelta(days=days - 1), hours, topic,
                                training_type, off_job, speaker, speaker_id, "", campaign_id, self.now, self.now))
        self.areas.extend((activity_id, area) for area in areas)
        return activity_id


ACTIVITY_COLUMNS = ("id", "number", "kind", "host_id", "start_date", "end_date", "hours", "topic", "training_type",
                    "off_job", "speaker", "speaker_person_id", "venue", "campaign_id", "created_at", "updated_at")
ATTENDANCE_COLUMNS = ("activity_id", "person_id", "status", "hours", "days", "recorded_at", "recorded_by_id")


def _status(rng: random.Random, present: float) -> str:
    roll = rng.random()
    if roll < present:
        return "出席"
    return "请假" if roll < present + (1 - present) * 0.6 else "缺席"


def _day_in(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max((end - start).days, 1)))


def generate_learning(*, rng: random.Random, today: date, now: Any) -> dict[str, int]:
    """Fill one year of learning for every organization and person already in the database."""
    from xuexi.orgs.models import Organization

    year = today.year
    year_start, cutoff = date(year, 1, 1), today - timedelta(days=1)
    orgs = [_Org(*row) for row in Organization.objects.order_by("path").values_list(
        "id", "code", "path", "level", "has_central_group", "kind")]
    members: dict[int, list[_Person]] = defaultdict(list)
    for row in Person.objects.order_by("id").values_list("id", "org_id", "leader_post", "rank",
                                                         "central_group_member").iterator(chunk_size=20000):
        members[row[1]].append(_Person(*row))
    CreditRule.objects.bulk_create([
        CreditRule(kind="中心组集体学习", hours_per_session=Decimal(3), updated_by="演示数据"),
        CreditRule(kind="培训", hours_per_session=Decimal(6), hours_per_day=Decimal(6), updated_by="演示数据"),
        CreditRule(kind="专题学习", hours_per_session=Decimal(2), updated_by="演示数据"),
    ], ignore_conflicts=True)
    root = orgs[0]
    campaign = Campaign.objects.create(
        code=f"ZT{year}", name="“解放思想、改革创新、转变方式、科学发展”主题教育实践活动", start_date=date(year, 3, 1),
        end_date=date(year, 12, 31), organizer_id=root.id, covers_id=root.id,
        themes=["解放思想", "改革创新", "转变方式", "科学发展"],
        description="在全省开展主题教育实践活动，推动广大党员干部把解放思想从观念层面向工作实践层面转变。",
    )
    # Each branch owes two topic-study sessions in the campaign; some will fall short.
    CampaignRequirement.objects.create(campaign=campaign, level="基层", kind="专题学习", minimum=2)
    book = _Activities(next_id(Activity), now)
    attendance: list[tuple[Any, ...]] = []
    quarters = [(date(year, m, 1), min(date(year, m + 3, 1) if m < 10 else date(year, 12, 31), cutoff))
                for m in (1, 4, 7, 10) if date(year, m, 1) <= cutoff]

    counters: dict[str, int] = defaultdict(int)

    def number(code: str) -> str:
        counters[code] += 1
        return f"{code}-{year}-{counters[code]:03d}"

    def attend(activity_id: int, people: Sequence[_Person], present: float) -> None:
        for person in people:
            attendance.append((activity_id, person.id, _status(rng, present), None, None, book.recorded_at, None))

    for org in orgs:
        people = members.get(org.id, [])

        # 中心组集体学习: most quarters, not all; the current quarter often not yet.
        if org.has_central_group:
            central = [p for p in people if p.central]
            for q_start, q_end in quarters:
                in_progress = q_end == cutoff and q_end.month < 12
                if rng.random() < (0.45 if in_progress else 0.88):
                    activity = book.add(number=number(org.code), kind="中心组集体学习", host=org.id,
                                        start=_day_in(rng, q_start, q_end), topic=rng.choice(TOPICS),
                                        areas=rng.sample(AREAS, 2))
                    attend(activity, central, 0.9)
        # 党员教育培训: once a year for most organizations.
        if rng.random() < 0.78:
            activity = book.add(number=number(org.code), kind="培训", host=org.id,
                                start=_day_in(rng, year_start, cutoff), hours=Decimal(rng.choice([3, 4, 6])),
                                topic=f"党员教育培训：{rng.choice(TOPICS)}", areas=rng.sample(AREAS, 2),
                                training_type="理论培训")
            attend(activity, [p for p in people if not p.central] or people, 0.85)
        # Branches: a monthly study session (三会一课's 党课 and topic study), the bulk of the rows.
        if org.level == "基层" and people:
            month = year_start
            while month <= cutoff:
                if rng.random() < 0.9:
                    activity = book.add(number=number(org.code), kind="专题学习", host=org.id,
                                        start=_day_in(rng, month, min(month + timedelta(days=27), cutoff)),
                                        topic=rng.choice(TOPICS), areas=[rng.choice(AREAS)],
                                        campaign_id=campaign.pk if month >= campaign.start_date
                                        and rng.random() < 0.3 else None)
                    attend(activity, people, 0.86)
                month = (month + timedelta(days=32)).replace(day=1)
            # 讲党课 each quarter by the branch secretary (the first on the roster), for every member.
            for q_start, q_end in quarters:
                if rng.random() < 0.8:
                    activity = book.add(number=number(org.code), kind="讲党课", host=org.id,
                                        start=_day_in(rng, q_start, q_end), hours=Decimal(2),
                                        topic=f"支部书记讲党课：{rng.choice(TOPICS)}", speaker_id=people[0].id,
                                        areas=["中国特色社会主义理论体系"])
                    attend(activity, people, 0.88)
        # Leaders: off-job courses at the party school, research in the grassroots, lectures.
        leaders = [p for p in people if p.central and p.leader_post != "无"]
        if leaders:
            for days in (5, 7, 10):
                start = _day_in(rng, year_start, cutoff - timedelta(days=days))
                activity = book.add(number=number(org.code), kind="培训", host=org.id, start=start, days=days,
                                    hours=Decimal(6 * days), topic=f"{days}天专题研讨班：{rng.choice(TOPICS)}",
                                    areas=rng.sample(AREAS, 2), training_type=rng.choice(["理论培训", "晋职培训"]),
                                    off_job=True)
                attend(activity, [p for p in leaders if rng.random() < 0.72], 1.0)
            for _ in range(14):
                days = rng.randint(2, 6)
                start = _day_in(rng, year_start, cutoff - timedelta(days=days))
                activity = book.add(number=number(org.code), kind="调查研究", host=org.id, start=start, days=days,
                                    topic=f"基层调研：{rng.choice(TOPICS)}", areas=["中央和省委决策部署"])
                attend(activity, [p for p in leaders if rng.random() < 0.55], 1.0)
            for speaker in rng.sample(leaders, min(2, len(leaders))):
                book.add(number=number(org.code), kind="讲党课", host=org.id, start=_day_in(rng, year_start, cutoff),
                         hours=Decimal(2), topic=f"专题党课：{rng.choice(TOPICS)}", speaker_id=speaker.id,
                         areas=["中国特色社会主义理论体系"])
        if len(attendance) >= 200_000:
            _flush(book, attendance)
    _flush(book, attendance)
    reset_sequence(Activity)
    reset_sequence(ActivityContentArea)
    reset_sequence(Attendance)
    _speaker_names()
    claims = _claims(rng, members, year_start, cutoff, now)
    _plans(rng, orgs, members, year, now)
    return {"activities": book.activity_count, "attendance": book.attendance_count, "claims": claims}


def _flush(book: _Activities, attendance: list[tuple[Any, ...]]) -> None:
    """Write what is collected so far: activities first, since attendance refers to them."""
    bulk_insert(Activity, ACTIVITY_COLUMNS, book.activities)
    book.activity_count += len(book.activities)
    book.activities.clear()
    bulk_insert(ActivityContentArea, ("activity_id", "area"), book.areas)
    book.areas.clear()
    bulk_insert(Attendance, ATTENDANCE_COLUMNS, attendance)
    book.attendance_count += len(attendance)
    attendance.clear()


def _speaker_names() -> None:
    from django.db.models import OuterRef, Subquery

    Activity.objects.filter(speaker_person__isnull=False, speaker="").update(
        speaker=Subquery(Person.objects.filter(pk=OuterRef("speaker_person_id")).values("name")[:1]))


def _claims(rng: random.Random, members: dict[int, list[_Person]], start: date, end: date, now: Any) -> int:
    def rows() -> Iterator[tuple[Any, ...]]:
        for people in members.values():
            for person in people:
                if rng.random() >= 0.06:
                    continue
                day = _day_in(rng, start, end)
                roll = rng.random()
                status, decided_by, reason = (("certified", "演示管理员", "") if roll < 0.7 else
                                              ("pending", "", "") if roll < 0.9 else
                                              ("refused", "演示管理员", "未提供学习笔记或心得体会"))
                yield (person.id, "个人自学", f"自学：{rng.choice(TOPICS)}", day, day,
                       Decimal(rng.choice([2, 4, 6, 8])), Decimal(0), False, "学习笔记", status, now,
                       now if status != "pending" else None, decided_by, reason)

    return bulk_insert(LearningClaim, ("person_id", "kind", "title", "start_date", "end_date", "hours", "days",
                                       "off_job", "evidence", "status", "submitted_at", "decided_at", "decided_by",
                                       "refusal_reason"), rows())


def _plans(rng: random.Random, orgs: Sequence[_Org], members: dict[int, list[_Person]], year: int, now: Any) -> None:
    committees = [o for o in orgs if o.has_central_group]
    plans = StudyPlan.objects.bulk_create([
        StudyPlan(org_id=o.id, year=year, title=f"{year}年度理论学习中心组学习计划",
                  reading_list=["《习近平谈治国理政》", "《中国共产党章程》"], updated_at=now) for o in committees
    ], batch_size=5000)
    StudyPlanItem.objects.bulk_create([
        StudyPlanItem(plan=plan, quarter=q, kind="中心组集体学习", topic=rng.choice(TOPICS),
                      content_areas=rng.sample(AREAS, 2)) for plan in plans for q in (1, 2, 3, 4)
    ], batch_size=5000)
    leaders = [p for people in members.values() for p in people if p.leader_post != "无"]
    PersonalPlan.objects.bulk_create([
        PersonalPlan(person_id=p.id, year=year, goal_hours=Decimal(rng.choice([110, 120, 150])),
                     topics=rng.sample(TOPICS, 2), books=["《习近平谈治国理政》"], updated_at=now) for p in leaders
    ], batch_size=5000)
