"""Password rules of the security baseline (等保 身份鉴别): length and character classes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError


def _is_administrator(user: Any) -> bool:
    from xuexi.accounts.sign_in_steps import is_administrator

    if user is None or getattr(user, "pk", None) is None:
        # Not saved yet: no grants, only a 三员 role can make it an administrator.
        return bool(getattr(user, "admin_role", ""))
    return is_administrator(user)


class LengthValidator:
    """At least XUEXI_PASSWORD_MIN_LENGTH characters; administrators XUEXI_ADMIN_PASSWORD_MIN_LENGTH."""

    def validate(self, password: str, user: Any = None) -> None:
        minimum = (
            settings.XUEXI_ADMIN_PASSWORD_MIN_LENGTH
            if _is_administrator(user)
            else settings.XUEXI_PASSWORD_MIN_LENGTH
        )
        if len(password) < minimum:
            raise ValidationError(f"密码至少需要 {minimum} 个字符。", code="password_too_short")

    def get_help_text(self) -> str:
        return (
            f"至少 {settings.XUEXI_PASSWORD_MIN_LENGTH} 个字符"
            f"（管理员至少 {settings.XUEXI_ADMIN_PASSWORD_MIN_LENGTH} 个）。"
        )


class CharacterClassesValidator:
    """Uppercase, lowercase, digits, other: at least XUEXI_PASSWORD_CHARACTER_CLASSES of the four."""

    def validate(self, password: str, user: Any = None) -> None:
        classes = sum(
            (
                any(c.isupper() for c in password),
                any(c.islower() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            )
        )
        required = settings.XUEXI_PASSWORD_CHARACTER_CLASSES
        if classes < required:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、其他符号中的至少 {required} 类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"包含大写字母、小写字母、数字、其他符号中的至少 {settings.XUEXI_PASSWORD_CHARACTER_CLASSES} 类。"
