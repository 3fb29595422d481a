"""评学和奖惩 for the demo province: the province's weights for last year and this year; last year's 民主评议党员
organized by the demo city (220100) over a sample of its branches, with votes and grades, closed; a few
commendations and penalties, one 限期整改 following a finding of the demo inspection.

The same few hundred rows at every scale (a sample of branches, not the province), written through the services.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.assessment import services
from xuexi.assessment.models import DemocraticReview, Grade
from xuexi.orgs.models import Organization
from xuexi.people.models import Person
from xuexi.supervision.models import Finding

CITY, COUNTY = "220100", "220102"
BRANCHES = 12
MEMBERS = 300


def _votes(rng: random.Random, voters: int) -> tuple[int, int, int, int]:
    """Most members 合格; about one in ten 优秀 by the votes; a few 基本合格."""
    roll = rng.random()
    lead = 0 if roll < 0.1 else 2 if roll > 0.96 else 1
    weights = [0.15, 0.15, 0.05, 0.02]
    weights[lead] = 0.7
    counts = [0, 0, 0, 0]
    for _ in range(voters):
        counts[rng.choices(range(4), weights)[0]] += 1
    return counts[0], counts[1], counts[2], counts[3]


def generate_assessment(*, rng: random.Random, today: date) -> dict[str, int]:
    """Weights, last year's democratic review in a sample of the city's branches, commendations and penalties."""
    province = whole_tree_scope()
    for year, weights in ((today.year - 1, (40, 20, 20, 20)), (today.year, (40, 25, 20, 15))):
        services.weights_save(actor=None, scope=province, year=year, values=dict(zip(
            services.WEIGHT_FIELDS, weights, strict=True)))
    city_admin = User.objects.filter(username="city_admin").first()
    city = Organization.objects.filter(code=CITY).first()
    if city_admin is None or city is None:
        return {"democratic_reviews": 0}
    scope = Scope.for_user(city_admin)
    candidates = list(Organization.objects.filter(path__startswith=city.path, kind="党支部", is_active=True)
                      .order_by("path").values_list("pk", flat=True)[:200])
    branches = rng.sample(candidates, min(BRANCHES, len(candidates)))
    members = list(Person.objects.filter(org_id__in=branches, is_active=True).order_by("number")
                   .values_list("number", flat=True)[:MEMBERS])
    last = today.year - 1
    evaluation = services.evaluation_create(actor=city_admin, scope=scope, org_code=CITY, data=services.EvaluationInput(
        title=f"{last} 年度民主评议党员", year=last, kind="民主评议党员", opens=date(last, 12, 1),
        closes=date(last, 12, 31), excellent_cap=20))
    entries = [services.ReviewInput(number, _votes(rng, rng.randint(8, 25))) for number in members]
    if entries:
        services.reviews_record(actor=city_admin, scope=scope, evaluation_id=evaluation.pk, entries=entries)
        services.evaluation_close(actor=city_admin, scope=scope, evaluation_id=evaluation.pk)
    commended = 0
    county = Organization.objects.filter(code=COUNTY).first()
    if county is not None:
        services.commendation_grant(actor=city_admin, scope=scope, data=services.SanctionInput(
            kind="先进集体", granted_by_code=CITY, org_code=COUNTY, date=date(last, 12, 28),
            reason=f"{last} 年度学习型党组织建设成效显著，中心组学习、党员教育培训全部达标。"))
        commended += 1
    best = (DemocraticReview.objects.filter(evaluation=evaluation, grade=Grade.EXCELLENT)
            .select_related("person").order_by("person__number").first())
    if best is not None:
        services.commendation_grant(actor=city_admin, scope=scope, data=services.SanctionInput(
            kind="学习标兵", granted_by_code=CITY, person_number=best.person.number, evaluation_id=evaluation.pk,
            date=date(last, 12, 30), reason="民主评议优秀，个人自学计划执行好，学习笔记完整。"))
        commended += 1
    penalties = 0
    finding = (Finding.objects.filter(inspection__inspector_org=city).select_related("inspection", "item__target__org")
               .order_by("pk").first())
    if finding is not None:
        services.penalty_grant(actor=city_admin, scope=scope, data=services.SanctionInput(
            kind="限期整改", granted_by_code=CITY, org_code=finding.item.target.org.code, date=today,
            deadline=today + timedelta(days=30), inspection_number=finding.inspection.number, finding_id=finding.pk,
            reason="督学检查发现中心组学习记录不完整，限期一个月整改。"))
        penalties += 1
    if branches:
        branch = Organization.objects.get(pk=branches[0])
        services.penalty_grant(actor=city_admin, scope=scope, data=services.SanctionInput(
            kind="通报批评", granted_by_code=CITY, org_code=branch.code, date=date(last, 11, 20),
            evaluation_id=evaluation.pk, reason="全年未开展党员教育培训，三会一课记录缺失。"))
        penalties += 1
    return {"democratic_reviews": len(entries), "commendations": commended, "penalties": penalties}
