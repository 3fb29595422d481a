"""撤回 of a library item and removal of its files: gone for members (search, lists, pushes, its page), kept."""

from __future__ import annotations

import pytest

from tests.conftest import Tree, signed_in_client
from tests.library.test_api import _send
from tests.library.test_services import PDF
from tests.library.world import TODAY, publish, push
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind
from xuexi.library import selectors, services
from xuexi.library.errors import LibraryError
from xuexi.library.models import ItemFile, LibraryItem, PushEntry


@pytest.fixture
def item(tree: Tree) -> LibraryItem:
    return publish("K1", "丙县乡村振兴学习资料", "乡村振兴 产业兴旺")


def _found(user: User, words: str) -> list[int]:
    items = selectors.item_list(scope=Scope.for_user(user), filters=selectors.ItemFilters(search=words))
    return [i.pk for i in items]


def test_a_withdrawn_item_leaves_search_lists_and_pushes_but_its_push_is_kept(
        item: LibraryItem, county_admin: User, member: User) -> None:
    # given
    push("K1", [item])
    found_before = _found(member, "乡村振兴")
    # when
    services.item_withdraw(actor=county_admin, scope=Scope.for_user(county_admin), item_id=item.pk, reason="内容过时")
    # then
    assert found_before == [item.pk]
    assert _found(member, "乡村振兴") == []  # FTS5 on SQLite, tsvector on PostgreSQL
    assert not selectors.item_list(scope=Scope.for_user(member)).exists()
    pushes = selectors.pushes_for(scope=Scope.for_user(member), date=TODAY)
    assert [list(p.entries.all()) for p in pushes] == [[]]
    assert PushEntry.objects.filter(item=item).count() == 1
    editor = selectors.push_of(org=item.publisher, date=TODAY)
    assert editor is not None and [e.item_id for e in editor.entries.all()] == [item.pk]
    removed = selectors.item_list(scope=Scope.for_user(county_admin), filters=selectors.ItemFilters(removed=True))
    assert [i.pk for i in removed] == [item.pk]
    event = AuditEvent.objects.get(action="library_item_withdraw", object_id=str(item.pk))
    assert "内容过时" in event.detail


def test_the_page_of_a_withdrawn_item_is_missing_to_members_and_explained_to_administrators(
        item: LibraryItem, county_admin: User, member: User) -> None:
    # given
    admin = signed_in_client(county_admin)
    # when
    withdrawn = admin.post(f"/library/{item.pk}/withdraw/", {"reason": "内容过时"})
    # then
    assert withdrawn.status_code == 302
    assert signed_in_client(member).get(f"/library/{item.pk}/").status_code == 404
    page = admin.get(f"/library/{item.pk}/").content.decode()
    assert "撤回：内容过时" in page


def test_withdrawing_needs_a_reason_twice_is_refused_and_a_member_cannot(
        item: LibraryItem, county_admin: User, member: User, city_admin: User) -> None:
    # given
    scope = Scope.for_user(county_admin)
    # when
    with pytest.raises(DomainError) as no_reason:
        services.item_withdraw(actor=county_admin, scope=scope, item_id=item.pk, reason=" ")
    with pytest.raises(DomainError) as by_member:
        services.item_withdraw(actor=member, scope=Scope.for_user(member), item_id=item.pk, reason="不要")
    services.item_withdraw(actor=city_admin, scope=Scope.for_user(city_admin), item_id=item.pk, reason="上级撤回")
    with pytest.raises(DomainError) as twice:
        services.item_withdraw(actor=county_admin, scope=scope, item_id=item.pk, reason="再撤")
    # then
    assert (no_reason.value.code, no_reason.value.field) == (LibraryError.REMOVAL_INVALID, "reason")
    assert no_reason.value.detail == "请填写撤回原因：应为 1 至 500 个字符，说明为什么撤回"
    assert by_member.value.kind == ErrorKind.FORBIDDEN
    assert twice.value.kind == ErrorKind.CONFLICT
    assert LibraryItem.objects.get(pk=item.pk).removed_by == "city_admin"


def test_a_removed_file_is_no_longer_served_and_its_record_stays(item: LibraryItem, county_admin: User,
                                                                 member: User) -> None:
    # given
    stored = services.item_file_add(actor=county_admin, scope=Scope.for_user(county_admin), item_id=item.pk,
                                    name="讲义.pdf", data=PDF)
    reader = signed_in_client(member)
    before = reader.get(f"/library/{item.pk}/files/{stored.pk}/").status_code
    # when
    response = signed_in_client(county_admin).post(f"/library/{item.pk}/files/{stored.pk}/remove/")
    # then
    assert (before, response.status_code) == (200, 302)
    assert reader.get(f"/library/{item.pk}/files/{stored.pk}/").status_code == 404
    assert ItemFile.objects.get(pk=stored.pk).removed_by == "county_admin"
    assert AuditEvent.objects.filter(action="library_file_remove", object_id=str(item.pk)).exists()


def test_a_withdrawn_item_cannot_be_pushed(item: LibraryItem, county_admin: User) -> None:
    # given
    scope = Scope.for_user(county_admin)
    services.item_withdraw(actor=county_admin, scope=scope, item_id=item.pk, reason="内容过时")
    # when
    with pytest.raises(DomainError) as caught:
        services.push_set(actor=county_admin, scope=scope, org_code="K1", date=TODAY, item_ids=[item.pk])
    # then
    assert caught.value.code == LibraryError.PUSH_INVALID


def test_a_member_api_reader_gets_404_for_a_withdrawn_item(item: LibraryItem, county_admin: User,
                                                           member: User) -> None:
    # given
    services.item_withdraw(actor=county_admin, scope=Scope.for_user(county_admin), item_id=item.pk, reason="过时")
    # when
    response = _send("GET", f"/api/library/items/{item.pk}", member)
    missing = _send("GET", "/api/library/items/999999", member)
    # then
    assert response.status_code == 404
    assert response.json()["code"] == missing.json()["code"] == "library_item_not_found"
