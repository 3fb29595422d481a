"""Build consistent trees, people and accounts through the services, as the platform would."""

from __future__ import annotations

import itertools
import random

from xuexi.accounts import services as account_services
from xuexi.accounts.models import AdminRole, GrantRole, User
from xuexi.accounts.scope import whole_tree_scope
from xuexi.orgs import services as org_services
from xuexi.orgs.models import Organization
from xuexi.people import services as people_services
from xuexi.people.models import Person
from xuexi.people.personal_numbers import id_card_check_digit

PASSWORD = "Test#Passw0rd-2025"
_numbers = itertools.count(1)


def valid_id_card(region: str = "220102", born: str = "19800101", seq: int | None = None) -> str:
    seq = seq if seq is not None else random.randrange(1000)
    first17 = f"{region}{born}{seq:03d}"
    return first17 + id_card_check_digit(first17)


def make_org(
    code: str,
    *,
    parent: Organization | None = None,
    name: str | None = None,
    level: str = "基层",
    kind: str = "党支部",
    sector: str = "党政机关",
    has_central_group: bool = False,
) -> Organization:
    return org_services.org_create(
        actor=None, scope=whole_tree_scope(), code=code, name=name or f"组织{code}", level=level,
        kind=kind, sector=sector, parent_code=parent.code if parent else None,
        has_central_group=has_central_group,
    )


def make_person(org: Organization, *, number: str | None = None, name: str = "张三", **fields: object) -> Person:
    return people_services.person_create(
        actor=None, scope=whole_tree_scope(), number=number or f"T{next(_numbers):06d}", name=name,
        org_code=org.code, **fields,  # type: ignore[arg-type]
    )


def make_user(
    username: str,
    *,
    admin_of: Organization | None = None,
    reviewer_of: Organization | None = None,
    person: Person | None = None,
    admin_role: str = AdminRole.NONE,
    must_change_password: bool = False,
) -> User:
    user = account_services.user_create(
        actor=None, username=username, password=PASSWORD, admin_role=admin_role,
        person_id=person.pk if person else None, must_change_password=must_change_password,
    )
    if admin_of is not None:
        account_services.grant_add(actor=None, user=user, org_id=admin_of.pk, role=GrantRole.ORG_ADMIN)
    if reviewer_of is not None:
        account_services.grant_add(actor=None, user=user, org_id=reviewer_of.pk, role=GrantRole.REVIEWER)
    return user
