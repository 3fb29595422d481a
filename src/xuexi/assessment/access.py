"""The chokepoints for evaluations, commendations, penalties and their files, on someone's behalf.

An evaluation is seen by those who see its organizing organization and changed by its administrators
(and those above). A commendation or penalty is seen by those who see its subject's organization or the
organization that granted it, and by the person it names; it is changed by administrators of the
granting organization. The scorecard weights are the province's: administrators of the root set them.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Q

from xuexi.accounts.scope import Scope
from xuexi.assessment.errors import AssessmentError
from xuexi.assessment.models import Commendation, Evaluation, Penalty, SanctionEvidence
from xuexi.errors import Forbidden, NotFound
from xuexi.orgs.models import Organization

T = TypeVar("T", Commendation, Penalty)


def evaluation_q(scope: Scope) -> Q:
    return scope.org_q("org__")


def sanction_q(scope: Scope) -> Q:
    """Q for the commendations or penalties the scope sees: of or granted by its organizations, or its person."""
    seen = scope.org_q("org__") | scope.org_q("granted_by__")
    if scope.person_id is not None:
        seen |= Q(person_id=scope.person_id)
    return seen


def access_evaluation(*, scope: Scope, pk: int, write: bool = False) -> Evaluation:
    """An evaluation the scope sees; outside it answers exactly as a missing one. Changing it is its organizers'."""
    scope.require_business_data()
    evaluation = Evaluation.objects.select_related("org").filter(evaluation_q(scope), pk=pk).first()
    if evaluation is None:
        raise NotFound(AssessmentError.EVALUATION_NOT_FOUND, f"评学 {pk} 不存在")
    if write and not scope.covers_path(evaluation.org.path, write=True):
        raise Forbidden(AssessmentError.EVALUATION_READ_ONLY,
                        f"评学“{evaluation.title}”由{evaluation.org.name}组织，您只能查看")
    return evaluation


def _sanction(model: type[T], scope: Scope, pk: int, write: bool, label: str) -> T:
    scope.require_business_data()
    found = (model.objects.select_related("org", "person", "granted_by", "evaluation", "inspection")
             .filter(sanction_q(scope), pk=pk).first())
    if found is None:
        raise NotFound(AssessmentError.SANCTION_NOT_FOUND, f"{label} {pk} 不存在")
    if write and not scope.covers_path(found.granted_by.path, write=True):
        raise Forbidden(AssessmentError.SANCTION_READ_ONLY, f"该{label}由{found.granted_by.name}决定，您只能查看")
    return found


def access_commendation(*, scope: Scope, pk: int, write: bool = False) -> Commendation:
    return _sanction(Commendation, scope, pk, write, "表彰")


def access_penalty(*, scope: Scope, pk: int, write: bool = False) -> Penalty:
    return _sanction(Penalty, scope, pk, write, "惩戒")


def access_evidence(*, scope: Scope, pk: int) -> SanctionEvidence:
    """A file of a commendation or penalty the scope sees; else as a missing file."""
    scope.require_business_data()
    seen = (Q(commendation__in=Commendation.objects.filter(sanction_q(scope)))
            | Q(penalty__in=Penalty.objects.filter(sanction_q(scope))))
    evidence = SanctionEvidence.objects.filter(seen, pk=pk, removed_at__isnull=True).first()
    if evidence is None:
        raise NotFound(AssessmentError.EVIDENCE_NOT_FOUND, f"佐证材料 {pk} 不存在")
    return evidence


def root_org() -> Organization | None:
    return Organization.objects.filter(depth=1).order_by("path").first()


def sets_weights(scope: Scope) -> bool:
    """The province sets the weights: write scope over the root organization."""
    root = root_org()
    return root is not None and scope.covers_path(root.path, write=True)


def require_weights_setter(scope: Scope) -> None:
    scope.require_business_data()
    if not sets_weights(scope):
        raise Forbidden(AssessmentError.WEIGHTS_FORBIDDEN, "考核权重由省级（根组织）管理员设置，您只能查看")
