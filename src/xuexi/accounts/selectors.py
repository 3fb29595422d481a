"""Reads of accounts and the audit log, within what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from xuexi.accounts.models import AuditEvent, ScopeGrant, User
from xuexi.accounts.scope import Scope
from xuexi.errors import NotFound


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    outcome: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None


def _require_auditor(scope: Scope) -> None:
    # The log is the 审计管理员's alone; for everyone else it does not exist.
    if not scope.is_audit_admin:
        raise NotFound("audit_not_found", "页面不存在")


def audit_list(*, scope: Scope, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    """The audit log, newest first, for the audit administrator only."""
    _require_auditor(scope)
    filters = filters or AuditFilters()
    qs = AuditEvent.objects.all()
    if filters.actor:
        qs = qs.filter(actor_name=filters.actor)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    tz = timezone.get_current_timezone()
    if filters.since:
        qs = qs.filter(at__gte=datetime.combine(filters.since, time.min, tzinfo=tz))
    if filters.until:
        qs = qs.filter(at__lte=datetime.combine(filters.until, time.max, tzinfo=tz))
    return qs.order_by("-seq")


def audit_actions(*, scope: Scope) -> list[str]:
    _require_auditor(scope)
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def account_list(*, scope: Scope) -> QuerySet[User]:
    """Accounts, for the system and security administrators (who manage accounts and grants)."""
    if not (scope.is_system_admin or scope.is_security_admin):
        raise NotFound("account_not_found", "页面不存在")
    return User.objects.select_related("person").prefetch_related("grants__org").order_by("username")


def grants_of(*, user: User) -> QuerySet[ScopeGrant]:
    return user.grants.select_related("org").order_by("org__path")


def account_for_admin(*, scope: Scope, username: str) -> User:
    """One account, for the system and security administrators."""
    user = account_list(scope=scope).filter(username=username).first()
    if user is None:
        raise NotFound("account_not_found", f"账户 {username} 不存在")
    return user


def grant_for_admin(*, scope: Scope, grant_id: int) -> ScopeGrant:
    if not scope.is_security_admin:
        raise NotFound("grant_not_found", "授权不存在")
    grant = ScopeGrant.objects.select_related("user", "org").filter(pk=grant_id).first()
    if grant is None:
        raise NotFound("grant_not_found", "授权不存在")
    return grant
