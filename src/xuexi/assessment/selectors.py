"""Reads of 评学 and 奖惩, each taking the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from xuexi.accounts.scope import Scope
from xuexi.assessment.access import evaluation_q, sanction_q
from xuexi.assessment.models import Commendation, DemocraticReview, Evaluation, Grade, Penalty
from xuexi.orgs.models import Organization
from xuexi.people.models import Person


def evaluation_list(*, scope: Scope, org: Organization | None = None) -> QuerySet[Evaluation]:
    """The evaluations the scope sees (organized by an organization of an organization's subtree), newest first."""
    scope.require_business_data()
    found = Evaluation.objects.filter(evaluation_q(scope)).select_related("org")
    if org is not None:
        found = found.filter(org__path__startswith=org.path)
    return found.annotate(reviewed=Count("reviews")).order_by("-year", "-opens", "-pk")


@dataclass(frozen=True)
class EvaluationView:
    evaluation: Evaluation
    reviews: list[DemocraticReview]
    grades: dict[str, int]  # grade → people

    @property
    def excellent_share(self) -> float | None:
        return round(100 * self.grades[Grade.EXCELLENT] / len(self.reviews), 1) if self.reviews else None

    @property
    def over_cap(self) -> bool:
        share = self.excellent_share
        return share is not None and share > self.evaluation.excellent_cap


def evaluation_detail(*, scope: Scope, evaluation: Evaluation) -> EvaluationView:
    """An evaluation with its members' votes and grades, and the count of each grade."""
    scope.require_business_data()
    reviews = list(evaluation.reviews.select_related("person__org").order_by("person__org__path", "person__number"))
    grades = {g: 0 for g in Grade.values}
    for review in reviews:
        if review.grade:
            grades[review.grade] += 1
    return EvaluationView(evaluation=evaluation, reviews=reviews, grades=grades)


def members_to_review(*, scope: Scope, evaluation: Evaluation) -> QuerySet[Person]:
    """The members the evaluation covers: those on the roster of its organization's subtree."""
    scope.require_business_data()
    return (Person.objects.filter(org__path__startswith=evaluation.org.path, is_active=True)
            .select_related("org").order_by("org__path", "number"))


def _of(scope: Scope, org: Organization | None, person: Person | None) -> Q:
    condition = sanction_q(scope)
    if person is not None:
        return condition & Q(person=person)
    if org is not None:
        return condition & (Q(org__path__startswith=org.path) | Q(granted_by=org))
    return condition


def commendation_list(*, scope: Scope, org: Organization | None = None,
                      person: Person | None = None) -> QuerySet[Commendation]:
    """The commendations the scope sees: of an organization's subtree or granted by it, or of one person."""
    scope.require_business_data()
    return (Commendation.objects.filter(_of(scope, org, person))
            .select_related("org", "person", "granted_by", "evaluation", "inspection")
            .prefetch_related("evidence").order_by("-date", "-pk"))


def penalty_list(*, scope: Scope, org: Organization | None = None,
                 person: Person | None = None) -> QuerySet[Penalty]:
    """The penalties the scope sees: of an organization's subtree or decided by it, or of one person."""
    scope.require_business_data()
    return (Penalty.objects.filter(_of(scope, org, person))
            .select_related("org", "person", "granted_by", "evaluation", "inspection", "finding")
            .prefetch_related("evidence").order_by("-date", "-pk"))
