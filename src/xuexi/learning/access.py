"""The chokepoints for fetching activities and claims on someone's behalf."""

from __future__ import annotations

from xuexi.accounts.scope import Scope
from xuexi.errors import Forbidden, NotFound
from xuexi.learning.errors import LearningError
from xuexi.learning.models import Activity, LearningClaim


def access_activity(*, scope: Scope, number: str, write: bool = False) -> Activity:
    """An activity whose host is in scope; outside it answers exactly as a missing number."""
    scope.require_business_data()
    activity = (
        Activity.objects.select_related("host", "speaker_person", "campaign")
        .filter(scope.org_q("host__"), number=number)
        .first()
    )
    if activity is None:
        raise NotFound(LearningError.ACTIVITY_NOT_FOUND, f"活动编号 {number} 不存在")
    if write and not scope.covers_path(activity.host.path, write=True):
        raise Forbidden(LearningError.INVALID, f"您对活动 {number} 只有查看权限")
    return activity


def access_claim(*, scope: Scope, claim_id: int, write: bool = False) -> LearningClaim:
    """A claim of a person in scope (or one's own); certifying needs the person's organization in write scope."""
    scope.require_business_data()
    claim = (
        LearningClaim.objects.select_related("person__org")
        .filter(scope.person_q("person__"), pk=claim_id)
        .first()
    )
    if claim is None:
        raise NotFound(LearningError.CLAIM_NOT_FOUND, f"学时申报 {claim_id} 不存在")
    if write and not scope.covers_path(claim.person.org.path, write=True):
        raise Forbidden(LearningError.INVALID, "只有本人所在组织的管理员可以认定学时")
    return claim
