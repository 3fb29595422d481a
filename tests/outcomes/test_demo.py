"""The demo's outcomes: a few per committee, each one the services would have accepted."""

from __future__ import annotations

import random
from datetime import date

from django.utils import timezone

from tests.conftest import Tree
from tests.outcomes.world import activity
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.demo.outcomes import generate_experience_reviews, generate_outcomes
from xuexi.library.selectors import ItemFilters, item_list
from xuexi.outcomes import services
from xuexi.outcomes.models import Outcome, OutcomeKind
from xuexi.outcomes.services import RESEARCH_KINDS, OutcomeFields, check_fields

TODAY = date(2025, 6, 30)


def test_each_committee_with_research_gets_a_few_outcomes_the_services_would_accept(tree: Tree) -> None:
    # given: K1 and C1 did research and studied; K2 did nothing
    for n in range(4):
        activity(f"KR{n}", host="K1", day=date(2025, 3, 2 + n))
        activity(f"CR{n}", host="C1", day=date(2025, 4, 2 + n))
    activity("KS1", host="K1", kind="中心组集体学习", day=date(2025, 5, 6))
    # when
    made = generate_outcomes(rng=random.Random(7), today=TODAY, now=timezone.now())
    # then
    outcomes = list(Outcome.objects.prefetch_related("activities", "authors").select_related("org"))
    assert made == len(outcomes) and 4 <= made <= 10
    assert {o.org.code for o in outcomes} == {"K1", "C1"}
    assert all(o.number.startswith(f"{o.org.code}-CG2025-") for o in outcomes)
    for o in outcomes:
        check_fields(OutcomeFields(kind=o.kind, title=o.title, date=o.date, summary=o.summary, adoption=o.adoption,
                                   decision_name=o.decision_name, decision_date=o.decision_date, outlet=o.outlet,
                                   link=o.link))
        sources = list(o.activities.all())
        assert sources and all(a.start_date <= o.date < TODAY for a in sources)
        if o.kind == OutcomeKind.RESEARCH_REPORT:
            assert {a.kind for a in sources} <= set(RESEARCH_KINDS)
    assert {p.number for o in outcomes if o.org.code == "K1" for p in o.authors.all()} == {"CAD1"}


def test_the_demo_takes_typical_experiences_through_the_review_consistently(tree: Tree, member: User) -> None:
    # given: K1 and C1 each recorded 典型经验
    for n in range(12):
        services.outcome_create(actor=None, scope=whole_tree_scope(), org_code="K1" if n % 2 else "C1",
                                fields=OutcomeFields(kind="典型经验", title=f"演示经验{n}", date=TODAY,
                                                     summary="网格化学习的做法"))
    # when
    reviewed = generate_experience_reviews(rng=random.Random(3), now=timezone.now())
    # then: every published one is an article of the level above, hidden again if withdrawn
    outcomes = list(Outcome.objects.select_related("org", "library_item__publisher"))
    assert reviewed == sum(1 for o in outcomes if o.experience_events.exists())
    for o in outcomes:
        actions = [e.action for e in o.experience_events.order_by("id")]
        assert (o.library_item is not None) == ("publish" in actions)
        if o.library_item is not None:
            assert o.library_item.publisher.path == o.org.path[:-4]
            assert (o.library_item.removed_at is None) == (o.withdrawn_at is None)
        assert o.status == {"submit": "submitted", "return": "recorded", "approve": "approved",
                            "publish": "published", "withdraw": "published"}.get(actions[-1] if actions else "",
                                                                                   "recorded")
    live = [o.title for o in outcomes if o.library_item is not None and o.withdrawn_at is None and o.org.code == "K1"]
    found = item_list(scope=Scope.for_user(member), filters=ItemFilters(search="网格化"))
    assert sorted(i.title for i in found if i.publisher.code == "C1") == sorted(live)
