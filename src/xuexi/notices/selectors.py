"""Reads of the notification centre: an account sees its own notifications, never another's."""

from __future__ import annotations

from django.db.models import QuerySet

from xuexi.accounts.models import User
from xuexi.notices.models import Notification


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The account's own notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(*, user: User) -> int:
    """How many of the account's notifications are unread: one COUNT."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
