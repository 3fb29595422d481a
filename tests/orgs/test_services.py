from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import Tree
from xuexi.accounts.models import AuditEvent
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.errors import DomainError, NotFound
from xuexi.orgs import services
from xuexi.orgs.models import Organization, OrganizationChange


def test_create_under_parent_places_child_in_subtree(tree: Tree) -> None:
    # given
    scope = Scope.for_user(factories.make_user("a", admin_of=tree.county))
    # when
    org = services.org_create(actor=None, scope=scope, code="T2", name="二镇", level="乡级", kind="党委",
                              sector="农村", parent_code="K1")
    # then
    assert org.path.startswith(tree.county.path)
    assert org.depth == tree.county.depth + 1
    assert OrganizationChange.objects.filter(org=org, action="create").count() == 1
    assert AuditEvent.objects.filter(action="org_create", object_id="T2").count() == 1


def test_county_admin_cannot_create_under_other_county(tree: Tree) -> None:
    scope = Scope.for_user(factories.make_user("a", admin_of=tree.county))
    with pytest.raises(NotFound):
        services.org_create(actor=None, scope=scope, code="X1", name="x", level="乡级", kind="党委",
                            sector="农村", parent_code="K3")
    assert not Organization.objects.filter(code="X1").exists()


def test_duplicate_code_is_refused_in_chinese(tree: Tree) -> None:
    with pytest.raises(DomainError) as caught:
        factories.make_org("K1", parent=tree.city)
    assert caught.value.code == "org_code_taken"
    assert "K1" in caught.value.detail


def test_invalid_level_names_allowed_values(tree: Tree) -> None:
    with pytest.raises(DomainError) as caught:
        factories.make_org("Z9", parent=tree.city, level="村级")
    assert caught.value.field == "level"
    assert "省级" in caught.value.detail


def test_second_root_is_refused(tree: Tree) -> None:
    with pytest.raises(DomainError) as caught:
        factories.make_org("R2")
    assert caught.value.code == "org_root_exists"


def test_move_carries_the_subtree(tree: Tree) -> None:
    # when: 丙县 moves from 甲市 to 乙州
    services.org_move(actor=None, scope=whole_tree_scope(), code="K1", new_parent_code="C2")
    # then: its township and branch follow
    county = Organization.objects.get(code="K1")
    branch = Organization.objects.get(code="B1")
    other_city = Organization.objects.get(code="C2")
    assert county.path.startswith(other_city.path)
    assert branch.path.startswith(county.path)
    assert Organization.objects.get(code="C1").numchild == 1
    assert OrganizationChange.objects.filter(org=county, action="move").count() == 1


def test_move_into_own_subtree_is_refused(tree: Tree) -> None:
    with pytest.raises(DomainError) as caught:
        services.org_move(actor=None, scope=whole_tree_scope(), code="C1", new_parent_code="B1")
    assert caught.value.code == "org_move_cycle"
    assert Organization.objects.get(code="C1").path == tree.city.path


def test_move_onto_itself_is_refused(tree: Tree) -> None:
    with pytest.raises(DomainError) as caught:
        services.org_move(actor=None, scope=whole_tree_scope(), code="K1", new_parent_code="K1")
    assert caught.value.code == "org_move_cycle"


def test_deactivate_refuses_with_members_then_succeeds_after_transfer(tree: Tree) -> None:
    from xuexi.people.services import person_transfer

    with pytest.raises(DomainError) as caught:
        services.org_deactivate(actor=None, scope=whole_tree_scope(), code="B1")
    assert caught.value.code == "org_has_active_members"
    person_transfer(actor=None, scope=whole_tree_scope(), number="MEM1", to_org_code="T1")
    org = services.org_deactivate(actor=None, scope=whole_tree_scope(), code="B1")
    assert org.is_active is False
    assert Organization.objects.filter(code="B1").exists()


def test_deactivate_refuses_with_active_children(tree: Tree) -> None:
    with pytest.raises(DomainError) as caught:
        services.org_deactivate(actor=None, scope=whole_tree_scope(), code="T1")
    assert caught.value.code == "org_has_active_children"


def test_update_refuses_fields_outside_allowlist(tree: Tree) -> None:
    with pytest.raises(DomainError) as caught:
        services.org_update(actor=None, scope=whole_tree_scope(), code="K1", changes={"path": "0001"})
    assert caught.value.field == "path"


def test_update_keeps_history_with_before_and_after(tree: Tree) -> None:
    services.org_update(actor=None, scope=whole_tree_scope(), code="K1", changes={"name": "中共丙县委"})
    change = OrganizationChange.objects.filter(org__code="K1", action="update").get()
    assert change.before["name"] == "中共丙县委员会"
    assert change.after["name"] == "中共丙县委"


def test_reviewer_may_not_write(tree: Tree) -> None:
    from xuexi.errors import Forbidden

    scope = Scope.for_user(factories.make_user("r", reviewer_of=tree.province))
    with pytest.raises(Forbidden):
        services.org_update(actor=None, scope=scope, code="K1", changes={"name": "x"})
