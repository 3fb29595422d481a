"""账户与授权: the system administrator keeps accounts, the security administrator grants subtrees.

These pages sit in `web` because they join accounts to organizations and people, which the
`accounts` app may not import. Every other role gets the 404 page.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuexi.accounts import selectors as account_selectors
from xuexi.accounts import services as account_services
from xuexi.accounts.models import GrantRole
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, NotFound
from xuexi.orgs.selectors import org_for_grant
from xuexi.pagination import page_number, paginate
from xuexi.people.selectors import person_for_account


class AccountCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    display_name = forms.CharField(label="姓名", max_length=100, required=False)
    password = forms.CharField(label="初始口令", strip=False, widget=forms.PasswordInput)
    person_number = forms.CharField(label="对应人员编号（干部、党员本人使用时填写）", max_length=64, required=False)


class GrantForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    org_code = forms.CharField(label="组织编码", max_length=64)
    role = forms.ChoiceField(label="角色", choices=GrantRole.choices)


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotFound("page_not_found", "页面不存在")


@login_required
def account_admin(request: HttpRequest) -> HttpResponse:
    """The account list, with the forms each of the two administrators may use."""
    scope = _scope(request)
    page = paginate(account_selectors.account_list(scope=scope), page=page_number(request), page_size=100)
    return render(request, "web/account_admin.html", {
        "page": page, "create_form": AccountCreateForm(), "grant_form": GrantForm(),
    })


@login_required
@require_POST
def account_create(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    _require(scope.is_system_admin)
    form = AccountCreateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            person_id = person_for_account(scope=scope, number=data["person_number"]).pk \
                if data["person_number"] else None
            user = account_services.user_create(
                actor=request.user,  # type: ignore[arg-type]
                username=data["username"], password=data["password"], display_name=data["display_name"],
                person_id=person_id, must_change_password=True,
            )
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, f"已创建账户 {user.username}，首次登录须修改口令。")
    else:
        messages.error(request, "请填写用户名和初始口令。")
    return redirect("web:account_admin")


@login_required
@require_POST
def account_set_active(request: HttpRequest, username: str) -> HttpResponse:
    scope = _scope(request)
    _require(scope.is_system_admin)
    user = account_selectors.account_for_admin(scope=scope, username=username)
    active = request.POST.get("active") == "1"
    account_services.user_set_active(actor=request.user, user=user, active=active)  # type: ignore[arg-type]
    messages.success(request, f"账户 {username} 已{'启用' if active else '停用'}。")
    return redirect("web:account_admin")


@login_required
@require_POST
def grant_add(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    _require(scope.is_security_admin)
    form = GrantForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user = account_selectors.account_for_admin(scope=scope, username=data["username"])
            org = org_for_grant(scope=scope, code=data["org_code"])
            account_services.grant_add(actor=request.user, user=user, org_id=org.pk,  # type: ignore[arg-type]
                                       role=data["role"])
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, f"已授予 {user.username} {org.name} 的{GrantRole(data['role']).label}权限。")
    else:
        messages.error(request, "请填写用户名、组织编码和角色。")
    return redirect("web:account_admin")


@login_required
@require_POST
def grant_remove(request: HttpRequest, grant_id: int) -> HttpResponse:
    scope = _scope(request)
    grant = account_selectors.grant_for_admin(scope=scope, grant_id=grant_id)
    account_services.grant_remove(actor=request.user, grant=grant)  # type: ignore[arg-type]
    messages.success(request, "已撤销授权。")
    return redirect("web:account_admin")


@login_required
@require_POST
def account_unlock(request: HttpRequest, username: str) -> HttpResponse:
    scope = _scope(request)
    _require(scope.is_security_admin)
    account_services.account_unlock(actor=request.user, username=username)  # type: ignore[arg-type]
    messages.success(request, f"已解除 {username} 的登录锁定。")
    return redirect("web:account_admin")
