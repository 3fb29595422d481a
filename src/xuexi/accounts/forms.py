from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest

from xuexi.accounts.models import User

SIGN_IN_FAILED = "用户名或密码不正确。"


class SignInForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label="密码", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        username, password = data.get("username"), data.get("password")
        if username and password:
            user = authenticate(self.request, username=username, password=password)
            # One answer for an unknown name, a wrong password and a disabled account.
            if user is None:
                raise forms.ValidationError(SIGN_IN_FAILED, code="invalid_login")
            self.user = user  # type: ignore[assignment]
        return data


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="原密码", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(label="新密码", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))
    new_password_again = forms.CharField(label="再次输入新密码", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", "两次输入的新密码不一致。")
        return data


class OtpForm(forms.Form):
    token = forms.CharField(label="动态验证码", min_length=6, max_length=6,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                          "inputmode": "numeric", "autofocus": True}))
