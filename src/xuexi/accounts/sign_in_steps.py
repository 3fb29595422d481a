"""What a signed-in account still owes before it may work: a new password, a second factor."""

from __future__ import annotations

from django.conf import settings

from xuexi.accounts.models import GrantRole, User


def is_administrator(user: User) -> bool:
    return bool(user.admin_role) or user.grants.filter(role=GrantRole.ORG_ADMIN).exists()


def demo_exempt(user: User) -> bool:
    """The printed demo accounts skip both steps, in the demo environment only."""
    return settings.DEMO and user.is_demo_account


def needs_password_change(user: User) -> bool:
    return user.must_change_password and not demo_exempt(user)


def needs_second_factor(user: User) -> bool:
    return (
        settings.XUEXI_OTP_REQUIRED_FOR_ADMINS
        and not demo_exempt(user)
        and is_administrator(user)
    )
