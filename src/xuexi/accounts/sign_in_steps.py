"""What a signed-in account still owes before it may work: a new password, a second factor."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from xuexi.accounts.models import GrantRole, User


def is_administrator(user: User) -> bool:
    return bool(user.admin_role) or user.grants.filter(role=GrantRole.ORG_ADMIN).exists()


def demo_exempt(user: User) -> bool:
    """The printed demo accounts skip both steps, in the demo environment only."""
    return settings.DEMO and user.is_demo_account


def password_expired(user: User) -> bool:
    """An administrator's password older than XUEXI_ADMIN_PASSWORD_MAX_AGE_DAYS."""
    max_age = settings.XUEXI_ADMIN_PASSWORD_MAX_AGE_DAYS
    if not max_age or user.password_changed_at is None or not is_administrator(user):
        return False
    return timezone.now() - user.password_changed_at > timedelta(days=max_age)


def needs_password_change(user: User) -> bool:
    return (user.must_change_password or password_expired(user)) and not demo_exempt(user)


def needs_second_factor(user: User) -> bool:
    return (
        settings.XUEXI_OTP_REQUIRED_FOR_ADMINS
        and not demo_exempt(user)
        and is_administrator(user)
    )
