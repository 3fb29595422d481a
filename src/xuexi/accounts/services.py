"""Writes to accounts, grants and tokens: each one transaction, audited."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuexi.accounts.audit import audit_record, sm3_hex
from xuexi.accounts.errors import AccountError
from xuexi.accounts.models import AdminRole, ApiToken, GrantRole, PasswordHistory, ScopeGrant, User
from xuexi.errors import DomainError, ErrorKind


def _validate_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(AccountError.WEAK_PASSWORD, "；".join(exc.messages), field="password") from exc


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    display_name: str = "",
    admin_role: str = AdminRole.NONE,
    person_id: int | None = None,
    must_change_password: bool = True,
    is_demo_account: bool = False,
) -> User:
    """Create an account; one created by someone else must change its password at first sign-in."""
    username = username.strip()
    if not username:
        raise DomainError(AccountError.INVALID, "用户名不能为空", field="username")
    if User.objects.filter(username=username).exists():
        raise DomainError(AccountError.USERNAME_TAKEN, f"用户名 {username} 已被使用", field="username",
                          kind=ErrorKind.CONFLICT)
    if admin_role not in AdminRole.values:
        raise DomainError(AccountError.INVALID, f"管理员角色 {admin_role} 无效", field="admin_role")
    if admin_role and person_id is not None:
        raise DomainError(AccountError.SEPARATION_OF_DUTIES, "三员账户不能关联业务人员", field="person")
    user = User(username=username, display_name=display_name.strip(), admin_role=admin_role,
                person_id=person_id, must_change_password=must_change_password,
                is_staff=admin_role == AdminRole.SYSTEM, is_demo_account=is_demo_account)
    _validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    audit_record(action="user_create", actor=actor, object_type="user", object_id=str(user.pk),
                 object_repr=user.username, detail={"admin_role": admin_role})
    return user


@transaction.atomic
def grant_add(*, actor: User | None, user: User, org_id: int, role: str) -> ScopeGrant:
    """Give an account a subtree to administer or review; 三员 accounts take no subtree."""
    if role not in GrantRole.values:
        raise DomainError(AccountError.INVALID, f"角色 {role} 无效", field="role")
    if user.admin_role:
        raise DomainError(AccountError.SEPARATION_OF_DUTIES,
                          "三员账户（系统、安全、审计管理员）不能管理或审阅业务数据", field="role")
    grant, _ = ScopeGrant.objects.get_or_create(
        user=user, org_id=org_id, role=role, defaults={"granted_by": actor}
    )
    audit_record(action="grant_add", actor=actor, object_type="user", object_id=str(user.pk),
                 object_repr=user.username, detail={"org_id": org_id, "role": role})
    return grant


@transaction.atomic
def grant_remove(*, actor: User | None, grant: ScopeGrant) -> None:
    user = grant.user
    detail = {"org_id": grant.org_id, "role": grant.role}
    grant.delete()
    audit_record(action="grant_remove", actor=actor, object_type="user", object_id=str(user.pk),
                 object_repr=user.username, detail=detail)


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """Change one's own password: the old one must match and the new one meet the rules."""
    if not user.check_password(old_password):
        audit_record(action="password_change", actor=user, outcome="failure", object_type="user",
                     object_id=str(user.pk), object_repr=user.username)
        raise DomainError(AccountError.WRONG_PASSWORD, "原密码不正确", field="old_password")
    if old_password == new_password:
        raise DomainError(AccountError.WEAK_PASSWORD, "新密码不能与原密码相同", field="new_password")
    _validate_password(new_password, user)
    # The current password counts as one of the last N; the history holds the ones before it.
    recent = user.password_history.order_by("-changed_at", "-id")[: max(settings.XUEXI_PASSWORD_HISTORY - 1, 0)]
    if any(check_password(new_password, earlier.password) for earlier in recent):
        raise DomainError(AccountError.WEAK_PASSWORD,
                          f"新密码不能与最近 {settings.XUEXI_PASSWORD_HISTORY} 次用过的密码相同", field="new_password")
    PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit_record(action="password_change", actor=user, object_type="user", object_id=str(user.pk),
                 object_repr=user.username)
    return user


def _end_sessions(user: User) -> int:
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_set_active(*, actor: User | None, user: User, active: bool) -> User:
    """Enable or disable an account; disabling ends all its sessions and tokens at once."""
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        _end_sessions(user)
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(action="user_enable" if active else "user_disable", actor=actor, object_type="user",
                 object_id=str(user.pk), object_repr=user.username)
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue an API token; the secret is returned once and only its digest is kept."""
    secret = f"xx_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name.strip() or "API", digest=sm3_hex(secret.encode()), prefix=secret[:8],
        expires_at=timezone.now() + timedelta(days=settings.XUEXI_API_TOKEN_DAYS),
    )
    audit_record(action="api_token_create", actor=user, object_type="api_token",
                 object_id=str(token.pk), object_repr=token.name)
    return token, secret


def api_token_user(secret: str) -> User | None:
    """The active account behind a bearer token, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=sm3_hex(secret.encode()), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


@transaction.atomic
def account_unlock(*, actor: User | None, username: str) -> int:
    """Lift a sign-in lock-out (django-axes) on a user name; return how many records were cleared."""
    from axes.handlers.proxy import AxesProxyHandler

    cleared = int(AxesProxyHandler.reset_attempts(username=username) or 0)
    audit_record(action="account_unlock", actor=actor, object_type="user", object_repr=username[:255],
                 detail={"cleared": cleared})
    return cleared
