"""Sign-in, sign-out, failures and lock-outs land in the audit log."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import AuditOutcome, User


def _address(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR", "")[:64] if request is not None else None


@receiver(user_logged_in)
def _signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    from xuexi.accounts.middleware import LAST_SEEN, SIGNED_IN_AT

    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    audit_record(action="sign_in", actor=user, object_type="user", object_id=str(user.pk),
                 object_repr=user.username, address=_address(request))


@receiver(user_logged_out)
def _signed_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is None:
        return
    audit_record(action="sign_out", actor=user, object_type="user", object_id=str(user.pk),
                 object_repr=user.username, address=_address(request))


@receiver(user_login_failed)
def _sign_in_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                    **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(action="sign_in", actor_name=username, outcome=AuditOutcome.FAILURE,
                 object_type="user", object_repr=username, address=_address(request))


@receiver(user_locked_out)
def _locked_out(sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any) -> None:
    name = (username or "")[:150]
    audit_record(action="lock_out", actor_name=name, outcome=AuditOutcome.DENIED,
                 object_type="user", object_repr=name, address=_address(request))
