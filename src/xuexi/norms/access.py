"""The chokepoint for fetching a rule on someone's behalf."""

from __future__ import annotations

from xuexi.accounts.scope import Scope
from xuexi.errors import NotFound
from xuexi.norms.errors import NormsError
from xuexi.norms.models import Rule


def access_rule(*, scope: Scope, code: str) -> Rule:
    """A rule that binds somewhere the viewer can see (the province's bind everyone)."""
    scope.require_business_data()
    rule = Rule.objects.select_related("owner").filter(code=code).first()
    if rule is None or (rule.owner is not None and not scope.covers_path(rule.owner.path)
                        and not any(path.startswith(rule.owner.path) for path in scope.read_paths)):
        raise NotFound(NormsError.RULE_NOT_FOUND, f"规则编码 {code} 不存在")
    return rule
