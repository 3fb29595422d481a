"""The organization administrator's forms: organizations and people, through the services."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind
from xuexi.orgs import services as org_services
from xuexi.orgs.access import access_org
from xuexi.people import selectors as people_selectors
from xuexi.people import services as people_services
from xuexi.people.access import access_person
from xuexi.web.forms import OrgCreateForm, OrgForm, OrgMoveForm, PersonCreateForm, PersonForm, TransferForm


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _attach(form: forms.Form, exc: DomainError, fields: Mapping[str, str] | None = None) -> None:
    name = (fields or {}).get(exc.field or "", exc.field)
    form.add_error(name if name in form.fields else None, exc.detail)


def form_page(
    request: HttpRequest, form: forms.Form, *, title: str, save: Callable[[dict[str, Any]], tuple[str, str]],
    back: str = "", back_url: str = "", fields: Mapping[str, str] | None = None,
) -> HttpResponse:
    """Show the form; on a valid POST call `save`, which returns (message, address to go to).

    `back` is an organization's code to return to, `back_url` any other address; `fields` maps a
    service's field names to the form's where they differ.
    """
    if request.method == "POST" and form.is_valid():
        try:
            message, target = save(form.cleaned_data)
        except DomainError as exc:
            _attach(form, exc, fields)
        else:
            messages.success(request, message)
            return redirect(target)
    return render(request, "web/form.html", {"title": title, "form": form, "back": back, "back_url": back_url})


@login_required
@require_http_methods(["GET", "POST"])
def org_create(request: HttpRequest, code: str) -> HttpResponse:
    """新建下级组织."""
    parent = access_org(scope=_scope(request), code=code, write=True)

    def save(data: dict[str, Any]) -> tuple[str, str]:
        org = org_services.org_create(actor=request.user, scope=_scope(request),  # type: ignore[arg-type]
                                      parent_code=parent.code, **data)
        return f"已新建 {org.name}。", reverse("web:org_detail", args=[org.code])

    return form_page(request, OrgCreateForm(request.POST or None, initial={"sector": parent.sector}),
                      title=f"在 {parent.name} 下新建组织", back=parent.code, save=save)


@login_required
@require_http_methods(["GET", "POST"])
def org_edit(request: HttpRequest, code: str) -> HttpResponse:
    org = access_org(scope=_scope(request), code=code, write=True)
    initial = {f: getattr(org, f) for f in OrgForm.base_fields}

    def save(data: dict[str, Any]) -> tuple[str, str]:
        org_services.org_update(actor=request.user, scope=_scope(request), code=code,  # type: ignore[arg-type]
                                changes=data)
        return "已保存。", reverse("web:org_detail", args=[code])

    return form_page(request, OrgForm(request.POST or None, initial=initial), title=f"修改 {org.name}",
                      back=code, save=save)


@login_required
@require_http_methods(["GET", "POST"])
def org_move(request: HttpRequest, code: str) -> HttpResponse:
    """调整隶属关系: the organization and its whole subtree."""
    org = access_org(scope=_scope(request), code=code, write=True)

    def save(data: dict[str, Any]) -> tuple[str, str]:
        org_services.org_move(actor=request.user, scope=_scope(request), code=code,  # type: ignore[arg-type]
                              new_parent_code=data["new_parent_code"].strip())
        return f"已将 {org.name} 连同下级组织调整到新的上级之下。", reverse("web:org_detail", args=[code])

    return form_page(request, OrgMoveForm(request.POST or None), title=f"调整 {org.name} 的隶属关系",
                      back=code, save=save)


@login_required
@require_POST
def org_deactivate(request: HttpRequest, code: str) -> HttpResponse:
    """撤销: refused, with the reason, while it has members or active children."""
    try:
        org = org_services.org_deactivate(actor=request.user, scope=_scope(request), code=code)  # type: ignore[arg-type]
    except DomainError as exc:
        if exc.kind != ErrorKind.INVALID:
            raise
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"已撤销 {org.name}。")
    return redirect("web:org_detail", code=code)


def _person_changes(data: dict[str, Any]) -> dict[str, Any]:
    # Blank numbers mean "leave as they are": the form never shows the stored ones.
    return {k: v for k, v in data.items() if k not in ("id_card", "phone") or v}


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, code: str) -> HttpResponse:
    org = access_org(scope=_scope(request), code=code, write=True)

    def save(data: dict[str, Any]) -> tuple[str, str]:
        person = people_services.person_create(actor=request.user, scope=_scope(request),  # type: ignore[arg-type]
                                               org_code=org.code, **data)
        return f"已将 {person.name} 登记到 {org.name}。", reverse("web:person_detail", args=[person.number])

    return form_page(request, PersonCreateForm(request.POST or None), title=f"在 {org.name} 新增人员",
                      back=org.code, save=save)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, number: str) -> HttpResponse:
    person = access_person(scope=_scope(request), number=number, write=True)
    initial = {f: getattr(person, f) for f in ("name", "gender", "rank", "leader_post", "central_group_member")}
    initial["groups"] = people_selectors.person_groups(person=person)

    def save(data: dict[str, Any]) -> tuple[str, str]:
        people_services.person_update(actor=request.user, scope=_scope(request),  # type: ignore[arg-type]
                                      number=number, changes=_person_changes(data))
        return "已保存。", reverse("web:person_detail", args=[number])

    return form_page(request, PersonForm(request.POST or None, initial=initial),
                      title=f"修改 {person.name} 的信息", back="", save=save)


@login_required
@require_http_methods(["GET", "POST"])
def person_transfer(request: HttpRequest, number: str) -> HttpResponse:
    """组织关系转接."""
    person = access_person(scope=_scope(request), number=number, write=True)

    def save(data: dict[str, Any]) -> tuple[str, str]:
        transfer = people_services.person_transfer(
            actor=request.user, scope=_scope(request), number=number,  # type: ignore[arg-type]
            to_org_code=data["to_org_code"].strip(), effective_date=data["effective_date"], reason=data["reason"],
        )
        return f"{person.name} 的组织关系已转入 {transfer.to_org.name}。", reverse("web:person_detail", args=[number])

    return form_page(request, TransferForm(request.POST or None),
                      title=f"{person.name} 的组织关系转接（现属 {person.org.name}）", back="", save=save)
