"""The chokepoints for fetching activities and claims on someone's behalf."""

from __future__ import annotations

from django.db.models import Q

from xuexi.accounts.scope import Scope
from xuexi.errors import Forbidden, NotFound
from xuexi.learning.errors import LearningError
from xuexi.learning.models import Activity, Campaign, LearningClaim


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


def campaign_scope_q(scope: Scope) -> Q:
    """Q for the campaigns whose covered subtree meets the scope: inside it, or holding part of it.

    A county sees the province's campaign that covers it; the ancestors of a path are its 4-character prefixes.
    """
    condition = Q(pk__in=[])
    for path in scope.read_paths:
        ancestors = [path[:end] for end in range(4, len(path) + 1, 4)]
        condition |= Q(covers__path__startswith=path) | Q(covers__path__in=ancestors)
    return condition


def access_campaign(*, scope: Scope, code: str, write: bool = False) -> Campaign:
    """A campaign that meets the scope; changing it needs its organizer in the write scope."""
    scope.require_business_data()
    campaign = (
        Campaign.objects.select_related("organizer", "covers")
        .filter(campaign_scope_q(scope), code=code)
        .first()
    )
    if campaign is None:
        raise NotFound(LearningError.CAMPAIGN_NOT_FOUND, f"主题教育编号 {code} 不存在")
    if write and not scope.covers_path(campaign.organizer.path, write=True):
        raise Forbidden(LearningError.CAMPAIGN_READ_ONLY,
                        f"主题教育 {code} 由{campaign.organizer.name}组织，您只有查看权限")
    return campaign
