"""Writes to the roster: each one transaction, checked against the scope, audited."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import AuditOutcome, User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, Forbidden, refuse_unknown_fields
from xuexi.orgs import dependents
from xuexi.orgs.access import access_org
from xuexi.people import personal_numbers
from xuexi.people.access import access_person, may_reveal
from xuexi.people.errors import PersonError
from xuexi.people.models import FocusGroup, Gender, LeaderPost, Person, PersonGroup, Post, Rank, Transfer

EDITABLE_FIELDS = ("name", "gender", "rank", "leader_post", "central_group_member", "groups",
                   "id_card", "phone")
# What decides which norms bind a person, or their organization's central group's presence (a name or a
# phone number does not).
SUBJECT_FIELDS = frozenset({"rank", "leader_post", "groups", "central_group_member"})
_GROUP_SEPARATORS = re.compile(r"[;；,，、]")


def parse_groups(value: str | Iterable[str]) -> list[str]:
    """关注群体 from text separated by ; ； , or 、, or from a list; each checked."""
    items = _GROUP_SEPARATORS.split(value) if isinstance(value, str) else list(value)
    groups: list[str] = []
    for raw in items:
        item = raw.strip()
        if not item:
            continue
        if item not in FocusGroup.values:
            raise DomainError(PersonError.INVALID,
                              f"关注群体“{item}”无效，应为：{'、'.join(FocusGroup.values)}", field="groups")
        if item not in groups:
            groups.append(item)
    return groups


def _check_choice(field: str, label: str, value: str, allowed: list[str]) -> None:
    if value not in allowed:
        shown = "、".join(v or "（空）" for v in allowed)
        raise DomainError(PersonError.INVALID, f"{label}“{value}”无效，应为：{shown}", field=field)


def personal_number_fields(*, id_card: str | None, phone: str | None) -> dict[str, Any]:
    """The stored columns for an ID-card and a phone number: cipher, blind index, mask."""
    fields: dict[str, Any] = {}
    if id_card is not None:
        if id_card.strip():
            normalized = personal_numbers.normalize_id_card(id_card)
            fields.update(
                id_card_cipher=personal_numbers.encrypt(normalized, purpose="id_card"),
                id_card_index=personal_numbers.blind_index(normalized, purpose="id_card"),
                id_card_masked=personal_numbers.mask_id_card(normalized),
                birth_date=personal_numbers.birth_date_of(normalized),
            )
        else:
            fields.update(id_card_cipher=None, id_card_index=None, id_card_masked="", birth_date=None)
    if phone is not None:
        if phone.strip():
            normalized = personal_numbers.normalize_phone(phone)
            fields.update(
                phone_cipher=personal_numbers.encrypt(normalized, purpose="phone"),
                phone_index=personal_numbers.blind_index(normalized, purpose="phone"),
                phone_masked=personal_numbers.mask_phone(normalized),
            )
        else:
            fields.update(phone_cipher=None, phone_index=None, phone_masked="")
    return fields


def personal_number_columns(numbers: Sequence[str | None], indexes: Sequence[str | None], *,
                            purpose: str) -> dict[str, list[Any]]:
    """personal_number_fields for many people at once, column by column (purpose: id_card or phone).

    The numbers are normalized and their blind indexes worked out already (a check needs them first); each
    number is enciphered once. A None stores as a blank number does.
    """
    ciphers = iter(personal_numbers.encrypt_all([n for n in numbers if n is not None], purpose=purpose))
    columns: dict[str, list[Any]] = {
        f"{purpose}_cipher": [None if n is None else next(ciphers) for n in numbers],
        f"{purpose}_index": [None if n is None else index for n, index in zip(numbers, indexes, strict=True)],
    }
    if purpose == "id_card":
        columns["id_card_masked"] = ["" if n is None else personal_numbers.mask_id_card(n) for n in numbers]
        columns["birth_date"] = [None if n is None else personal_numbers.birth_date_of(n) for n in numbers]
    else:
        columns["phone_masked"] = ["" if n is None else personal_numbers.mask_phone(n) for n in numbers]
    return columns


def validate_person_fields(fields: Mapping[str, Any]) -> None:
    if "number" in fields:
        number = str(fields["number"]).strip()
        if not number or len(number) > 64:
            raise DomainError(PersonError.INVALID, "人员编号不能为空，且不超过 64 个字符", field="number")
    if "name" in fields and not str(fields["name"]).strip():
        raise DomainError(PersonError.INVALID, "姓名不能为空", field="name")
    if "gender" in fields:
        _check_choice("gender", "性别", fields["gender"], Gender.values)
    if "rank" in fields:
        _check_choice("rank", "职级", fields["rank"], Rank.values)
    if "leader_post" in fields:
        _check_choice("leader_post", "领导职务", fields["leader_post"], LeaderPost.values)


def _check_id_card_free(index: str | None, person: Person | None) -> None:
    if index is None:
        return
    clash = Person.objects.filter(id_card_index=index)
    if person is not None:
        clash = clash.exclude(pk=person.pk)
    if clash.exists():
        raise DomainError(PersonError.ID_CARD_TAKEN, "该身份证号已登记在另一人员名下", field="id_card",
                          kind=ErrorKind.CONFLICT)


def _set_groups(person: Person, groups: list[str]) -> None:
    PersonGroup.objects.filter(person=person).exclude(group__in=groups).delete()
    existing = set(PersonGroup.objects.filter(person=person).values_list("group", flat=True))
    PersonGroup.objects.bulk_create(
        [PersonGroup(person=person, group=g) for g in groups if g not in existing]
    )


@transaction.atomic
def person_create(
    *,
    actor: User | None,
    scope: Scope,
    number: str,
    name: str,
    org_code: str,
    gender: str = "",
    rank: str = Rank.NONE,
    leader_post: str = LeaderPost.NONE,
    central_group_member: bool = False,
    groups: str | Iterable[str] = (),
    id_card: str = "",
    phone: str = "",
) -> Person:
    """Put a person on the roster of an organization in the caller's scope."""
    fields: dict[str, Any] = {"number": number.strip(), "name": name.strip(), "gender": gender,
                              "rank": rank, "leader_post": leader_post,
                              "central_group_member": central_group_member}
    validate_person_fields(fields)
    group_list = parse_groups(groups)
    org = access_org(scope=scope, code=org_code, write=True)
    if not org.is_active:
        raise DomainError(PersonError.INACTIVE_ORG, f"组织 {org_code} 已撤销", field="org_code")
    if Person.objects.filter(number=fields["number"]).exists():
        raise DomainError(PersonError.NUMBER_TAKEN, f"人员编号 {fields['number']} 已被使用",
                          field="number", kind=ErrorKind.CONFLICT)
    fields.update(personal_number_fields(id_card=id_card, phone=phone))
    _check_id_card_free(fields.get("id_card_index"), None)
    person = Person.objects.create(org=org, **fields)
    _set_groups(person, group_list)
    dependents.roster_changed(people=[person.pk])
    audit_record(action="person_create", actor=actor, object_type="person", object_id=person.number,
                 object_repr=person.name, detail={"org": org.code})
    return person


@transaction.atomic
def person_update(*, actor: User | None, scope: Scope, number: str, changes: Mapping[str, Any]) -> Person:
    """Change a person's own fields; the organization changes only by person_transfer."""
    refuse_unknown_fields(changes, EDITABLE_FIELDS, code=PersonError.INVALID)
    validate_person_fields(changes)
    person = access_person(scope=scope, number=number, write=True)
    plain = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()
             if k not in {"groups", "id_card", "phone"}}
    numbers = personal_number_fields(id_card=changes.get("id_card"), phone=changes.get("phone"))
    _check_id_card_free(numbers.get("id_card_index"), person)
    updated = {**plain, **numbers}
    for field, value in updated.items():
        setattr(person, field, value)
    person.updated_at = timezone.now()
    person.save(update_fields=[*updated.keys(), "updated_at"])
    if "groups" in changes:
        _set_groups(person, parse_groups(changes["groups"]))
    if SUBJECT_FIELDS.intersection(changes):
        dependents.roster_changed(people=[person.pk])
    # Names of the changed fields only: never the personal numbers themselves.
    audit_record(action="person_update", actor=actor, object_type="person", object_id=person.number,
                 object_repr=person.name, detail={"fields": sorted(changes)})
    return person


@transaction.atomic
def person_transfer(
    *, actor: User | None, scope: Scope, number: str, to_org_code: str,
    effective_date: date | None = None, reason: str = "",
) -> Transfer:
    """组织关系转接: move a person to another organization; both ends in the caller's scope."""
    person = access_person(scope=scope, number=number, write=True)
    target = access_org(scope=scope, code=to_org_code, write=True)
    if target.pk == person.org_id:
        raise DomainError(PersonError.SAME_ORG, f"{person.name} 已在 {target.name}", field="to_org_code")
    if not target.is_active:
        raise DomainError(PersonError.INACTIVE_ORG, f"组织 {to_org_code} 已撤销", field="to_org_code")
    transfer = Transfer.objects.create(
        person=person, from_org_id=person.org_id, to_org=target,
        effective_date=effective_date or timezone.localdate(), reason=reason.strip()[:200],
        actor_id=actor.pk if actor else None, actor_name=actor.username if actor else "系统",
    )
    from_code = person.org.code
    person.org = target
    person.updated_at = timezone.now()
    person.save(update_fields=["org", "updated_at"])
    # The organization left behind counts one fewer in its 关注群体 too.
    dependents.roster_changed(people=[person.pk], orgs=[transfer.from_org_id])
    audit_record(action="person_transfer", actor=actor, object_type="person", object_id=person.number,
                 object_repr=person.name, detail={"from": from_code, "to": target.code})
    return transfer


@transaction.atomic
def post_add(*, actor: User | None, scope: Scope, number: str, org_code: str, title: str,
             start_date: date | None = None) -> Post:
    """Record a post that a person holds in an organization (their own or another)."""
    person = access_person(scope=scope, number=number, write=True)
    org = access_org(scope=scope, code=org_code, write=True)
    if not title.strip():
        raise DomainError(PersonError.INVALID, "职务不能为空", field="title")
    post = Post.objects.create(person=person, org=org, title=title.strip(), start_date=start_date)
    audit_record(action="post_add", actor=actor, object_type="person", object_id=person.number,
                 object_repr=person.name, detail={"org": org.code, "title": post.title})
    return post


def person_reveal(*, actor: User, scope: Scope, number: str) -> dict[str, str]:
    """查看完整信息: the full ID-card and phone numbers, for those allowed, audited either way."""
    person = access_person(scope=scope, number=number)
    if not may_reveal(scope=scope, person=person):
        # Recorded in its own transaction, so the refusal stays in the log.
        audit_record(action="reveal_personal_data", actor=actor, outcome=AuditOutcome.DENIED,
                     object_type="person", object_id=person.number, object_repr=person.name)
        refusal = Forbidden(PersonError.REVEAL_FORBIDDEN, "您没有查看此人完整信息的权限")
        refusal.audited = True
        raise refusal
    audit_record(action="reveal_personal_data", actor=actor, object_type="person",
                 object_id=person.number, object_repr=person.name)
    return {
        "id_card": personal_numbers.decrypt(person.id_card_cipher, purpose="id_card")
        if person.id_card_cipher else "",
        "phone": personal_numbers.decrypt(person.phone_cipher, purpose="phone")
        if person.phone_cipher else "",
    }
