from __future__ import annotations

import pytest
from django.db import connection

from tests import factories
from tests.conftest import Tree
from xuexi.accounts.models import AuditEvent
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.errors import DomainError, Forbidden, NotFound
from xuexi.people import selectors, services
from xuexi.people.models import Person, Transfer


def test_personal_numbers_are_stored_encrypted_and_masked(tree: Tree) -> None:
    # given
    id_card = factories.valid_id_card(seq=101)
    # when
    person = factories.make_person(tree.branch, number="N1", id_card=id_card, phone="13700001111")
    # then: nothing in the row holds the plain numbers
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [person.pk])
        row = cursor.fetchone()
    flat = " ".join(str(bytes(v)) if isinstance(v, (bytes, memoryview)) else str(v) for v in row)
    assert id_card not in flat
    assert "13700001111" not in flat
    assert person.id_card_masked == id_card[:6] + "********" + id_card[-4:]
    assert person.phone_masked == "137****1111"
    assert person.birth_date is not None


def test_find_person_by_exact_id_card_and_phone(tree: Tree) -> None:
    id_card = factories.valid_id_card(seq=202)
    factories.make_person(tree.branch, number="N2", name="孙某", id_card=id_card, phone="13700002222")
    scope = whole_tree_scope()
    by_id = selectors.person_list(scope=scope, filters=selectors.PersonFilters(search=id_card))
    by_phone = selectors.person_list(scope=scope, filters=selectors.PersonFilters(search="13700002222"))
    assert [p.number for p in by_id] == ["N2"]
    assert [p.number for p in by_phone] == ["N2"]


def test_same_id_card_cannot_belong_to_two_people(tree: Tree) -> None:
    id_card = factories.valid_id_card(seq=303)
    factories.make_person(tree.branch, number="N3", id_card=id_card)
    with pytest.raises(DomainError) as caught:
        factories.make_person(tree.branch, number="N4", id_card=id_card)
    assert caught.value.code == "person_id_card_taken"
    assert not Person.objects.filter(number="N4").exists()


def test_invalid_group_is_named(tree: Tree) -> None:
    with pytest.raises(DomainError) as caught:
        factories.make_person(tree.branch, number="N5", groups="离退休、退伍军人")
    assert "退伍军人" in caught.value.detail
    assert not Person.objects.filter(number="N5").exists()


def test_groups_accept_every_separator(tree: Tree) -> None:
    person = factories.make_person(tree.branch, number="N6", groups="离退休;偏远农村，流动党员、下岗失业")
    assert selectors.person_groups(person=person) == sorted(["离退休", "偏远农村", "流动党员", "下岗失业"])


def test_transfer_moves_person_and_keeps_history(tree: Tree) -> None:
    # when
    services.person_transfer(actor=None, scope=whole_tree_scope(), number="MEM1", to_org_code="K2",
                             reason="工作调动")
    # then
    person = Person.objects.get(number="MEM1")
    assert person.org.code == "K2"
    transfer = Transfer.objects.get(person=person)
    assert (transfer.from_org.code, transfer.to_org.code, transfer.reason) == ("B1", "K2", "工作调动")
    assert AuditEvent.objects.filter(action="person_transfer", object_id="MEM1").count() == 1


def test_county_admin_cannot_transfer_into_other_county(tree: Tree, county_admin: object) -> None:
    scope = Scope.for_user(county_admin)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        services.person_transfer(actor=None, scope=scope, number="MEM1", to_org_code="K3")
    assert Person.objects.get(number="MEM1").org.code == "B1"


def test_transfer_to_same_org_is_refused(tree: Tree) -> None:
    with pytest.raises(DomainError) as caught:
        services.person_transfer(actor=None, scope=whole_tree_scope(), number="MEM1", to_org_code="B1")
    assert caught.value.code == "person_transfer_same_org"


def test_person_may_hold_posts_in_several_organizations(tree: Tree) -> None:
    services.post_add(actor=None, scope=whole_tree_scope(), number="CAD1", org_code="K1", title="县委书记")
    services.post_add(actor=None, scope=whole_tree_scope(), number="CAD1", org_code="T1", title="联系点负责人")
    posts = selectors.person_posts(scope=whole_tree_scope(), person=Person.objects.get(number="CAD1"))
    assert sorted(p.org.code for p in posts) == ["K1", "T1"]


def test_reveal_by_admin_is_audited_without_the_numbers(tree: Tree, county_admin: object) -> None:
    # when
    numbers = services.person_reveal(actor=county_admin, scope=Scope.for_user(county_admin),  # type: ignore[arg-type]
                                     number="MEM1")
    # then
    assert numbers["phone"] == "13912345678"
    event = AuditEvent.objects.get(action="reveal_personal_data", object_id="MEM1")
    assert event.outcome == "success"
    assert "13912345678" not in event.detail + event.object_repr


def test_reveal_by_reviewer_is_refused_and_audited(tree: Tree, reviewer: object) -> None:
    with pytest.raises(Forbidden):
        services.person_reveal(actor=reviewer, scope=Scope.for_user(reviewer), number="MEM1")  # type: ignore[arg-type]
    assert AuditEvent.objects.get(action="reveal_personal_data", object_id="MEM1").outcome == "denied"


def test_member_may_reveal_own_numbers_only(tree: Tree, member: object) -> None:
    scope = Scope.for_user(member)  # type: ignore[arg-type]
    own = services.person_reveal(actor=member, scope=scope, number="MEM1")  # type: ignore[arg-type]
    assert own["phone"] == "13912345678"
    with pytest.raises(NotFound):
        services.person_reveal(actor=member, scope=scope, number="CAD1")  # type: ignore[arg-type]


def test_update_changes_numbers_and_audits_only_field_names(tree: Tree) -> None:
    services.person_update(actor=None, scope=whole_tree_scope(), number="MEM1",
                           changes={"phone": "13600000000", "rank": "乡科级"})
    person = Person.objects.get(number="MEM1")
    assert (person.phone_masked, person.rank) == ("136****0000", "乡科级")
    event = AuditEvent.objects.filter(action="person_update").latest("seq")
    assert "13600000000" not in event.detail
    assert "phone" in event.detail


def test_update_refuses_org_change_by_mass_assignment(tree: Tree) -> None:
    with pytest.raises(DomainError) as caught:
        services.person_update(actor=None, scope=whole_tree_scope(), number="MEM1", changes={"org_id": 1})
    assert caught.value.field == "org_id"
    assert Person.objects.get(number="MEM1").org.code == "B1"


def test_member_scope_sees_only_themselves(tree: Tree, member: object) -> None:
    people = selectors.person_list(scope=Scope.for_user(member))  # type: ignore[arg-type]
    assert [p.number for p in people] == ["MEM1"]
