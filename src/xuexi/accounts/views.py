from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuexi.accounts import selectors, services
from xuexi.accounts.audit import audit_record
from xuexi.accounts.forms import OtpForm, PasswordChangeForm, SignInForm
from xuexi.accounts.models import AuditOutcome
from xuexi.accounts.sign_in_steps import password_expired
from xuexi.errors import DomainError
from xuexi.pagination import page_number, paginate


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        login(request, form.user)
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = ""
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "expired": request.GET.get("expired") == "1"}
    return render(request, "accounts/sign_in.html", context)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:sign_in")


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(user=request.user, old_password=form.cleaned_data["old_password"],  # type: ignore[arg-type]
                                     new_password=form.cleaned_data["new_password"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        else:
            # Changing the password rotates the session key; keep this session signed in.
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, "密码已修改。")
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/password_change.html",
                  {"form": form, "expired": password_expired(request.user)})  # type: ignore[arg-type]


def _qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
@require_http_methods(["GET", "POST"])
def otp(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator the first time, then ask for its code at every sign-in."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = confirmed or TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit_record(action="second_factor_enrol", actor=user, object_type="user",  # type: ignore[arg-type]
                             object_id=str(user.pk), object_repr=user.username)
            otp_login(request, device)
            audit_record(action="second_factor_verify", actor=user, object_type="user",  # type: ignore[arg-type]
                         object_id=str(user.pk), object_repr=user.username)
            return redirect(settings.LOGIN_REDIRECT_URL)
        audit_record(action="second_factor_verify", actor=user, outcome=AuditOutcome.FAILURE,  # type: ignore[arg-type]
                     object_type="user", object_id=str(user.pk), object_repr=user.username)
        form.add_error("token", "动态验证码不正确或已过期。")
    context: dict[str, object] = {"form": form, "enrolling": not device.confirmed}
    if not device.confirmed:
        context["qr"] = _qr_data_uri(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/otp.html", context)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """审计日志: browse and filter, for the audit administrator only (404 for everyone else)."""
    filters = selectors.AuditFilters(
        actor=request.GET.get("actor", "").strip(), action=request.GET.get("action", ""),
        outcome=request.GET.get("outcome", ""), object_id=request.GET.get("object", "").strip(),
    )
    events = selectors.audit_list(scope=request.scope, filters=filters)  # type: ignore[attr-defined]
    page = paginate(events, page=page_number(request), page_size=100)
    return render(request, "accounts/audit_log.html", {
        "page": page, "filters": filters, "actions": selectors.audit_actions(scope=request.scope),  # type: ignore[attr-defined]
    })
