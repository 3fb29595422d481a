"""Writes to the organization tree: each one transaction, checked against the scope, audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, refuse_unknown_fields
from xuexi.orgs import dependents
from xuexi.orgs.access import access_org
from xuexi.orgs.errors import OrgError
from xuexi.orgs.models import Kind, Level, Organization, OrganizationChange, Sector

# The fields a caller may set: anything else in the input is refused (mass assignment).
EDITABLE_FIELDS = ("name", "level", "kind", "sector", "has_central_group")
# What decides which norms bind an organization and its people (a name does not).
SUBJECT_FIELDS = ("level", "kind", "sector", "has_central_group")


def org_snapshot(org: Organization) -> dict[str, Any]:
    return {
        "code": org.code,
        "name": org.name,
        "level": org.level,
        "kind": org.kind,
        "sector": org.sector,
        "has_central_group": org.has_central_group,
        "is_active": org.is_active,
        "parent": _parent_code(org),
    }


def _parent_code(org: Organization) -> str:
    parent = Organization.objects.get_parent(org)
    return parent.code if parent is not None else ""


def _check_choice(field: str, label: str, value: str, choices: type[Level] | type[Kind] | type[Sector]) -> None:
    if value not in choices.values:
        raise DomainError(
            OrgError.INVALID,
            f"{label}“{value}”无效，应为：{'、'.join(choices.values)}",
            field=field,
        )


def validate_org_fields(fields: Mapping[str, Any]) -> None:
    """Check the values of an organization's fields; raise the first problem in Chinese."""
    if "code" in fields:
        code = str(fields["code"]).strip()
        if not code or len(code) > 64:
            raise DomainError(OrgError.INVALID, "组织编码不能为空，且不超过 64 个字符", field="code")
    if "name" in fields and not str(fields["name"]).strip():
        raise DomainError(OrgError.INVALID, "组织名称不能为空", field="name")
    if "level" in fields:
        _check_choice("level", "组织层级", fields["level"], Level)
    if "kind" in fields:
        _check_choice("kind", "组织类型", fields["kind"], Kind)
    if "sector" in fields:
        _check_choice("sector", "单位类别", fields["sector"], Sector)


def _record_change(org: Organization, actor: User | None, action: str,
                   before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    OrganizationChange.objects.create(
        org=org, actor_id=actor.pk if actor else None, actor_name=actor.username if actor else "系统",
        action=action, before=dict(before), after=dict(after),
    )
    audit_record(action=f"org_{action}", actor=actor, object_type="organization",
                 object_id=org.code, object_repr=org.name,
                 detail={k: after[k] for k in after if before.get(k) != after[k]})


@transaction.atomic
def org_create(
    *,
    actor: User | None,
    scope: Scope,
    code: str,
    name: str,
    level: str,
    kind: str,
    sector: str,
    parent_code: str | None = None,
    has_central_group: bool = False,
) -> Organization:
    """Create an organization under a parent in the caller's scope (the root only in an empty tree)."""
    fields = {"code": code.strip(), "name": name.strip(), "level": level, "kind": kind,
              "sector": sector, "has_central_group": has_central_group}
    validate_org_fields(fields)
    if Organization.objects.filter(code=fields["code"]).exists():
        raise DomainError(OrgError.CODE_TAKEN, f"组织编码 {fields['code']} 已被使用", field="code",
                          kind=ErrorKind.CONFLICT)
    try:
        if parent_code:
            parent = access_org(scope=scope, code=parent_code, write=True)
            if not parent.is_active:
                raise DomainError(OrgError.INACTIVE, f"上级组织 {parent_code} 已撤销，不能在其下新建组织",
                                  field="parent_code")
            org = Organization.objects.add_child(parent, fields)
        else:
            if not scope.covers_path("", write=True):
                raise DomainError(OrgError.PARENT_REQUIRED, "请填写上级组织编码", field="parent_code")
            if Organization.objects.get_root_nodes().exists():
                raise DomainError(OrgError.ROOT_EXISTS, "已有根组织，只有根组织可以没有上级组织",
                                  field="parent_code")
            org = Organization.objects.add_root(fields)
    except IntegrityError as exc:
        raise DomainError(OrgError.CODE_TAKEN, f"组织编码 {fields['code']} 已被使用", field="code",
                          kind=ErrorKind.CONFLICT) from exc
    _record_change(org, actor, OrganizationChange.Action.CREATE, {}, org_snapshot(org))
    dependents.roster_changed(orgs=[org.pk])
    return org


@transaction.atomic
def org_update(*, actor: User | None, scope: Scope, code: str, changes: Mapping[str, Any]) -> Organization:
    """Change an organization's own fields (not its place in the tree: see org_move)."""
    refuse_unknown_fields(changes, EDITABLE_FIELDS, code=OrgError.INVALID)
    validate_org_fields(changes)
    org = access_org(scope=scope, code=code, write=True)
    before = org_snapshot(org)
    for field, value in changes.items():
        setattr(org, field, value.strip() if isinstance(value, str) else value)
    org.updated_at = timezone.now()
    org.save(update_fields=[*changes.keys(), "updated_at"])
    after = org_snapshot(org)
    if after != before:
        _record_change(org, actor, OrganizationChange.Action.UPDATE, before, after)
    if any(before[f] != after[f] for f in SUBJECT_FIELDS):
        dependents.roster_changed(orgs=[org.pk])
    return org


@transaction.atomic
def org_move(*, actor: User | None, scope: Scope, code: str, new_parent_code: str) -> Organization:
    """Move an organization and its whole subtree under a new parent; refuse cycles."""
    org = access_org(scope=scope, code=code, write=True)
    new_parent = access_org(scope=scope, code=new_parent_code, write=True)
    if new_parent.path.startswith(org.path):
        raise DomainError(
            OrgError.CYCLE,
            f"不能把 {org.name} 移到它自己或它的下级组织 {new_parent.name} 之下",
            field="new_parent_code",
        )
    if not new_parent.is_active:
        raise DomainError(OrgError.INACTIVE, f"上级组织 {new_parent_code} 已撤销", field="new_parent_code")
    before = org_snapshot(org)
    old_path = org.path
    Organization.objects.move(org, new_parent, pos="last-child")
    org.refresh_from_db()
    dependents.roster_changed(subtrees=[old_path, org.path])
    org.updated_at = timezone.now()
    org.save(update_fields=["updated_at"])
    _record_change(org, actor, OrganizationChange.Action.MOVE, before, org_snapshot(org))
    return org


@transaction.atomic
def org_deactivate(*, actor: User | None, scope: Scope, code: str) -> Organization:
    """撤销: mark an organization inactive; it keeps its records and history, never deleted."""
    from django.apps import apps

    org = access_org(scope=scope, code=code, write=True)
    if not org.is_active:
        return org
    if Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True).exists():
        raise DomainError(OrgError.HAS_ACTIVE_CHILDREN,
                          f"{org.name} 还有未撤销的下级组织，请先调整或撤销下级组织")
    person_model = apps.get_model("people", "Person")
    if person_model.objects.filter(org=org, is_active=True).exists():
        raise DomainError(OrgError.HAS_ACTIVE_MEMBERS,
                          f"{org.name} 还有在册人员，请先办理组织关系转接")
    before = org_snapshot(org)
    org.is_active = False
    org.deactivated_at = org.updated_at = timezone.now()
    org.save(update_fields=["is_active", "deactivated_at", "updated_at"])
    dependents.roster_changed(orgs=[org.pk])
    _record_change(org, actor, OrganizationChange.Action.DEACTIVATE, before, org_snapshot(org))
    return org
