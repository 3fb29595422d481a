"""The one chokepoint for fetching a person on someone's behalf."""

from __future__ import annotations

from xuexi.accounts.scope import Scope
from xuexi.errors import Forbidden, NotFound
from xuexi.people.errors import PersonError
from xuexi.people.models import Person


def access_person(*, scope: Scope, number: str, write: bool = False) -> Person:
    """Fetch a person inside the scope; outside it answers exactly as a missing number."""
    person = (
        Person.objects.select_related("org")
        .filter(scope.person_q())
        .filter(number=number)
        .first()
    )
    if person is None:
        raise NotFound(PersonError.NOT_FOUND, f"人员编号 {number} 不存在")
    if write and not scope.covers_path(person.org.path, write=True):
        raise Forbidden(PersonError.READ_ONLY, f"您对人员 {number} 只有查看权限")
    return person


def may_reveal(*, scope: Scope, person: Person) -> bool:
    """查看完整信息: the person themselves, or an administrator of their organization."""
    return person.pk == scope.person_id or scope.covers_path(person.org.path, write=True)
