"""The chokepoint for fetching an outcome on someone's behalf."""

from __future__ import annotations

from xuexi.accounts.scope import Scope
from xuexi.errors import Forbidden, NotFound
from xuexi.outcomes.errors import OutcomeError
from xuexi.outcomes.models import Outcome


def access_outcome(*, scope: Scope, number: str, write: bool = False) -> Outcome:
    """An outcome of an organization in scope; outside it answers exactly as a missing number."""
    scope.require_business_data()
    outcome = (
        Outcome.objects.select_related("org")
        .filter(scope.org_q("org__"), number=number)
        .first()
    )
    if outcome is None:
        raise NotFound(OutcomeError.NOT_FOUND, f"成果编号 {number} 不存在")
    if write and not scope.covers_path(outcome.org.path, write=True):
        raise Forbidden(OutcomeError.READ_ONLY, f"您对成果 {number} 只有查看权限")
    return outcome
