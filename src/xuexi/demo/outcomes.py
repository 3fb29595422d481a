"""成果转化 for the demo province: a few outcomes of each city and county committee, from its own research.

A handful of rows per committee (a few hundred at province scale), built from two reads and written in bulk.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from xuexi.learning.models import Activity, ActivityKind
from xuexi.library.models import ItemKind, LibraryItem
from xuexi.library.search import segment
from xuexi.orgs.models import Level, Organization
from xuexi.outcomes.models import (
    ADOPTED_STATES,
    Adoption,
    ExperienceAction,
    ExperienceEvent,
    ExperienceStatus,
    Outcome,
    OutcomeAuthor,
    OutcomeKind,
    OutcomeSource,
)
from xuexi.people.models import LeaderPost, Person

OUTLETS = ["吉林日报", "吉林广播电视台", "新华网吉林频道", "城市晚报", "中国吉林网"]
ADOPTIONS = [Adoption.ADOPTED] * 4 + [Adoption.PARTLY_ADOPTED] * 2 + [Adoption.PENDING] * 2 + [Adoption.NOT_ADOPTED] * 2


@dataclass(frozen=True)
class _Source:
    id: int
    kind: str
    topic: str
    start: date
    end: date


def _subject(topic: str) -> str:
    """The subject of an activity's topic: "基层调研：乡村振兴专题" → "乡村振兴专题"."""
    return topic.split("：")[-1]


def _after(rng: random.Random, source: _Source, cutoff: date) -> date:
    return min(source.end + timedelta(days=rng.randint(3, 30)), cutoff)


def generate_outcomes(*, rng: random.Random, today: date, now: Any) -> int:
    """Record two to five outcomes for each city and county committee, from this year's research and study."""
    year, cutoff = today.year, today - timedelta(days=1)
    committees = list(Organization.objects.filter(level__in=[Level.CITY, Level.COUNTY], has_central_group=True)
                      .order_by("path").values_list("id", "code", "name"))
    ids = [org_id for org_id, _, _ in committees]
    sources: dict[int, dict[str, list[_Source]]] = defaultdict(lambda: defaultdict(list))
    for activity_id, host_id, kind, topic, start, end in (
            Activity.objects.filter(host_id__in=ids, start_date__year=year, end_date__lte=cutoff,
                                    kind__in=[ActivityKind.GRASSROOTS_RESEARCH, ActivityKind.CENTRAL_GROUP_STUDY])
            .order_by("id").values_list("id", "host_id", "kind", "topic", "start_date", "end_date")):
        sources[host_id][kind].append(_Source(activity_id, kind, topic, start, end))
    leaders: dict[int, list[int]] = defaultdict(list)
    for person_id, org_id in (Person.objects.filter(org_id__in=ids, central_group_member=True)
                              .exclude(leader_post=LeaderPost.NONE).order_by("id").values_list("id", "org_id")):
        leaders[org_id].append(person_id)
    outcomes: list[Outcome] = []
    links: list[tuple[list[int], list[int]]] = []  # each outcome's activities and authors, in the same order
    for org_id, code, name in committees:
        research = sources[org_id][ActivityKind.GRASSROOTS_RESEARCH]
        studies = sources[org_id][ActivityKind.CENTRAL_GROUP_STUDY]
        if not research:
            continue
        plan = [OutcomeKind.RESEARCH_REPORT, OutcomeKind.PROPOSAL, *rng.sample(
            [OutcomeKind.RESEARCH_REPORT, OutcomeKind.INTERNAL_REFERENCE, OutcomeKind.MEDIA_REPORT,
             OutcomeKind.TYPICAL_EXPERIENCE], rng.randint(0, 3))]
        for seq, kind in enumerate(plan, start=1):
            # A research report comes from research; a 内参 or an experience may come from the central group's study.
            from_study = kind in (OutcomeKind.INTERNAL_REFERENCE, OutcomeKind.TYPICAL_EXPERIENCE) and studies
            pool = studies if from_study else research
            chosen = rng.sample(pool, min(2 if kind == OutcomeKind.RESEARCH_REPORT else 1, len(pool)))
            on = max(_after(rng, s, cutoff) for s in chosen)
            subject = _subject(chosen[0].topic)
            outcome = Outcome(number=f"{code}-CG{year}-{seq:03d}", org_id=org_id, kind=kind, date=on,
                              created_at=now, updated_at=now, created_by="演示数据", updated_by="演示数据",
                              title={OutcomeKind.RESEARCH_REPORT: f"关于{subject}的调研报告",
                                     OutcomeKind.PROPOSAL: f"关于深化{subject}的建议",
                                     OutcomeKind.INTERNAL_REFERENCE: f"{name}{subject}情况反映",
                                     OutcomeKind.MEDIA_REPORT: f"{name}以学促干推进{subject}",
                                     OutcomeKind.TYPICAL_EXPERIENCE: f"{name}建设学习型党组织的经验做法"}[kind],
                              summary=f"在{subject}学习和调研中形成。")
            if kind == OutcomeKind.PROPOSAL:
                outcome.adoption = rng.choice(ADOPTIONS)
                if outcome.adoption in ADOPTED_STATES:
                    outcome.decision_name = f"{code}委发〔{year}〕{rng.randint(1, 40)}号"
                    outcome.decision_date = min(on + timedelta(days=rng.randint(5, 40)), cutoff)
            if kind == OutcomeKind.MEDIA_REPORT:
                outcome.outlet = rng.choice(OUTLETS)
            outcomes.append(outcome)
            links.append(([s.id for s in chosen], rng.sample(leaders[org_id], min(2, len(leaders[org_id])))))
    Outcome.objects.bulk_create(outcomes, batch_size=2000)
    OutcomeSource.objects.bulk_create([OutcomeSource(outcome=o, activity_id=a) for o, (acts, _) in zip(
        outcomes, links, strict=True) for a in acts], batch_size=5000)
    OutcomeAuthor.objects.bulk_create([OutcomeAuthor(outcome=o, person_id=p) for o, (_, people) in zip(
        outcomes, links, strict=True) for p in people], batch_size=5000)
    return len(outcomes)


MAX_REVIEWED = 300  # 典型经验 taken through the review, at most: a few hundred even at province scale
# What becomes of each: left recorded, waiting above, approved, published, returned, published then withdrawn.
FATES = ["recorded", "submitted", "submitted", "approved", "published", "published", "published", "returned",
         "withdrawn"]


def generate_experience_reviews(*, rng: random.Random, now: Any) -> int:
    """Take the demo's 典型经验 through the review by the level above: events, library items, all in bulk."""
    rows = list(Outcome.objects.filter(kind=OutcomeKind.TYPICAL_EXPERIENCE, org__depth__gt=1)
                .select_related("org").order_by("number")[:MAX_REVIEWED])
    step = Organization.steplen
    parents = dict(Organization.objects.filter(path__in={o.org.path[:-step] for o in rows})
                   .values_list("path", "id"))
    events: list[ExperienceEvent] = []
    items: list[tuple[Outcome, LibraryItem]] = []
    fates = {}
    for outcome in rows:
        parent_id = parents[outcome.org.path[:-step]]
        fate = rng.choice(FATES)
        fates[outcome.pk] = fate
        if fate == "recorded":
            continue

        def event(action: str, org_id: int, reason: str = "", *, o: Outcome = outcome) -> None:
            events.append(ExperienceEvent(outcome=o, action=action, org_id=org_id, reason=reason, at=now,
                                          by="演示数据"))

        event(ExperienceAction.SUBMIT, outcome.org_id)
        if fate == "returned":
            event(ExperienceAction.RETURN, parent_id, "请补充具体做法和成效数据。")
            outcome.status = ExperienceStatus.RECORDED
            continue
        if fate == "submitted":
            outcome.status = ExperienceStatus.SUBMITTED
            continue
        event(ExperienceAction.APPROVE, parent_id, "经验做法可复制，同意。")
        outcome.status = ExperienceStatus.APPROVED
        if fate in ("published", "withdrawn"):
            event(ExperienceAction.PUBLISH, parent_id)
            outcome.status = ExperienceStatus.PUBLISHED
            items.append((outcome, LibraryItem(
                kind=ItemKind.ARTICLE, title=outcome.title, date=outcome.date, body=outcome.summary,
                source=f"典型经验（{outcome.org.name}）"[:200], publisher_id=parent_id,
                search_text=segment(f"{outcome.title}\n{outcome.summary}"), created_at=now, updated_at=now,
                created_by="演示数据", updated_by="演示数据")))
        if fate == "withdrawn":
            event(ExperienceAction.WITHDRAW, outcome.org_id, "内容与新发布的经验重复。")
            outcome.withdrawn_at, outcome.withdrawn_by = now, "演示数据"
            outcome.withdrawal_reason = "内容与新发布的经验重复。"
            item = items[-1][1]
            item.removed_at, item.removed_by = now, "演示数据"
            item.removal_reason = f"来源典型经验 {outcome.number} 已由{outcome.org.name}撤回：内容与新发布的经验重复。"
    LibraryItem.objects.bulk_create([item for _, item in items], batch_size=1000)
    for outcome, item in items:
        outcome.library_item_id = item.pk
    Outcome.objects.bulk_update(rows, ["status", "library_item", "withdrawn_at", "withdrawn_by", "withdrawal_reason"],
                                batch_size=1000)
    ExperienceEvent.objects.bulk_create(events, batch_size=2000)
    return sum(1 for fate in fates.values() if fate != "recorded")
