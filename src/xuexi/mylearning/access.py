"""The one chokepoint for 我的学习: the signed-in person themselves, never anyone else."""

from __future__ import annotations

from xuexi.accounts.scope import Scope
from xuexi.errors import Forbidden
from xuexi.mylearning.errors import MyLearningError
from xuexi.people.models import Person


def my_person(*, scope: Scope) -> Person:
    """The person the account belongs to; 三员 find no such page, an account without a person is refused."""
    scope.require_business_data()
    person = (Person.objects.select_related("org").filter(pk=scope.person_id).first()
              if scope.person_id is not None else None)
    if person is None:
        raise Forbidden(MyLearningError.NOT_A_MEMBER, "“我的学习”只对关联了人员的党员、干部账号开放")
    return person
