"""学习资料库 and 理论学习天天向上: who publishes where, who reads what, search ranking, push precedence and reach."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import Tree
from tests.library.world import TODAY, publish, push
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, Forbidden, NotFound
from xuexi.library import selectors, services
from xuexi.library.access import access_item
from xuexi.library.errors import LibraryError
from xuexi.library.models import ItemView, PushOpen

PDF = b"%PDF-1.4\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def _fields(**changes: object) -> services.ItemFields:
    values: dict[str, object] = {"kind": "文章", "title": "学习资料", "date": TODAY, "body": "正文"}
    values.update(changes)
    return services.ItemFields(**values)  # type: ignore[arg-type]


def _titles(user: User, **filters: object) -> list[str]:
    found = selectors.item_list(scope=Scope.for_user(user), filters=selectors.ItemFilters(**filters))  # type: ignore[arg-type]
    return [i.title for i in found]


# -- publishing and reading -------------------------------------------------------------------------
def test_a_county_admin_publishes_to_their_county(tree: Tree, county_admin: User) -> None:
    # when
    item = services.item_publish(actor=county_admin, scope=Scope.for_user(county_admin), org_code="K1",
                                 fields=_fields(title="县级资料", areas=["科学发展观"]))
    # then
    assert item.publisher.code == "K1" and item.areas == ["科学发展观"] and item.created_by == "county_admin"
    assert AuditEvent.objects.filter(action="library_item_publish", object_id=str(item.pk)).exists()


def test_a_county_admin_cannot_publish_for_the_city_above(tree: Tree, county_admin: User) -> None:
    # when / then
    with pytest.raises(NotFound):
        services.item_publish(actor=county_admin, scope=Scope.for_user(county_admin), org_code="C1",
                              fields=_fields())


def test_a_member_reads_what_their_ancestors_published_and_nothing_beside(tree: Tree, member: User) -> None:
    # given: the member is in B1 under T1, K1, C1, P
    for code in ("P", "C1", "K1", "B1", "K2", "C2", "K3"):
        publish(code, f"{code} 的资料")
    # when / then
    assert sorted(_titles(member)) == sorted(f"{c} 的资料" for c in ("P", "C1", "K1", "B1"))


def test_an_admin_reads_their_subtree_and_above_but_edits_only_their_subtree(
        tree: Tree, county_admin: User) -> None:
    # given
    above, below, beside = publish("C1", "市级"), publish("T1", "镇级"), publish("K2", "邻县")
    scope = Scope.for_user(county_admin)
    # when / then
    assert access_item(scope=scope, item_id=below.pk, write=True).title == "镇级"
    with pytest.raises(Forbidden):
        access_item(scope=scope, item_id=above.pk, write=True)
    with pytest.raises(NotFound):
        access_item(scope=scope, item_id=beside.pk)


def test_an_unknown_area_is_refused_with_its_value(tree: Tree, county_admin: User) -> None:
    # when / then
    with pytest.raises(DomainError) as refused:
        services.item_publish(actor=county_admin, scope=Scope.for_user(county_admin), org_code="K1",
                              fields=_fields(areas=["天文"]))
    assert refused.value.field == "areas" and "天文" in refused.value.detail


def test_filters_by_area_kind_publisher_and_date(tree: Tree, member: User) -> None:
    # given
    publish("P", "理论", areas=["中国特色社会主义理论体系"], kind="图书")
    publish("K1", "经验", areas=["吉林发展振兴经验"], date=TODAY - timedelta(days=10))
    # when / then
    assert _titles(member, area="吉林发展振兴经验") == ["经验"]
    assert _titles(member, kind="图书") == ["理论"]
    assert _titles(member, publisher="K1") == ["经验"]
    assert _titles(member, date_from=TODAY - timedelta(days=1)) == ["理论"]


# -- files --------------------------------------------------------------------------------------------
def test_a_pdf_and_an_mp4_are_kept_and_a_picture_refused(tree: Tree, county_admin: User) -> None:
    # given
    item = publish("K1")
    scope = Scope.for_user(county_admin)
    # when
    pdf = services.item_file_add(actor=county_admin, scope=scope, item_id=item.pk, name="讲义.pdf", data=PDF)
    video = services.item_file_add(actor=county_admin, scope=scope, item_id=item.pk, name="课程.mp4", data=MP4)
    # then
    assert (pdf.content_type, video.content_type) == ("application/pdf", "video/mp4")
    with pytest.raises(DomainError) as refused:
        services.item_file_add(actor=county_admin, scope=scope, item_id=item.pk, name="图.png",
                               data=b"\x89PNG\r\n\x1a\n" + b"\x00" * 10)
    assert refused.value.code == LibraryError.FILE_REFUSED and "图.png" in refused.value.detail


# -- search --------------------------------------------------------------------------------------------
def test_the_item_that_matches_best_comes_first(tree: Tree, member: User) -> None:
    # given
    publish("P", "乡村振兴的一点体会", "我们学习了很多内容，其中也谈到乡村振兴。" + "其他工作安排。" * 20)
    publish("P", "乡村振兴战略学习辅导", "乡村振兴是重大战略。推进乡村振兴，要坚持农业农村优先发展。")
    publish("P", "无关的资料", "党史学习教育")
    # when / then
    assert _titles(member, search="乡村振兴") == ["乡村振兴战略学习辅导", "乡村振兴的一点体会"]


def test_a_chinese_query_is_segmented_by_jieba(tree: Tree, member: User) -> None:
    # given: the query is one run of characters; its words appear apart in the item
    publish("P", "新时代的思想伟力", "深刻领会习近平新时代中国特色社会主义思想的科学体系")
    publish("P", "基层组织建设", "支部建设")
    # when / then
    assert _titles(member, search="学习社会主义思想") == ["新时代的思想伟力"]


def test_search_combines_with_filters_and_scope(tree: Tree, member: User) -> None:
    # given
    publish("P", "乡村振兴文章", "乡村振兴")
    publish("P", "乡村振兴图书", "乡村振兴", kind="图书")
    publish("K3", "乡村振兴外县", "乡村振兴")
    # when / then
    assert _titles(member, search="乡村振兴", kind="图书") == ["乡村振兴图书"]


def test_an_edited_body_is_found_by_its_new_words(tree: Tree, county_admin: User, member: User) -> None:
    # given
    item = publish("K1", "资料", "原来的正文")
    # when
    services.item_update(actor=county_admin, scope=Scope.for_user(county_admin), item_id=item.pk,
                         fields=_fields(title="资料", body="生态文明建设"))
    # then
    assert _titles(member, search="生态文明") == ["资料"]
    assert _titles(member, search="原来") == []


# -- daily push ---------------------------------------------------------------------------------------
def test_the_nearest_push_comes_first_then_the_ancestors(tree: Tree, member: User) -> None:
    # given
    province_item, county_item = publish("P", "省级推送"), publish("K1", "县级推送")
    push("P", [province_item])
    push("K1", [county_item])
    push("K3", [publish("K3", "外县推送")])
    # when
    pushes = selectors.pushes_for(scope=Scope.for_user(member), date=TODAY)
    # then
    assert [p.org.code for p in pushes] == ["K1", "P"]
    assert [e.item.title for e in pushes[0].entries.all()] == ["县级推送"]


def test_a_push_keeps_the_editors_order_and_a_second_choice_replaces_it(tree: Tree) -> None:
    # given
    a, b, c = publish("P", "甲"), publish("P", "乙"), publish("P", "丙")
    push("K1", [a, b])
    # when
    again = push("K1", [c, a])
    # then
    assert [e.item.title for e in again.entries.all()] == ["丙", "甲"]


def test_a_push_refuses_six_items_and_items_published_below(tree: Tree, county_admin: User) -> None:
    # given
    scope = Scope.for_user(county_admin)
    six = [publish("K1", f"第{n}条").pk for n in range(6)]
    below = publish("T1", "镇里的")
    # when / then
    with pytest.raises(DomainError) as too_many:
        services.push_set(actor=county_admin, scope=scope, org_code="K1", date=TODAY, item_ids=six)
    assert "6 条" in too_many.value.detail
    with pytest.raises(DomainError) as unreachable:
        services.push_set(actor=county_admin, scope=scope, org_code="K1", date=TODAY, item_ids=[below.pk])
    assert str(below.pk) in unreachable.value.detail


def test_reach_counts_the_members_who_opened_the_push(tree: Tree, member: User, cadre: User) -> None:
    # given: K1's subtree holds CAD1 (K1) and MEM1 (B1)
    item = publish("P", "今日推送")
    pushed = push("K1", [item])
    # when: the member opens it twice, the cadre not at all
    for _ in range(2):
        services.item_open(scope=Scope.for_user(member), item=item)
    # then
    reach = selectors.push_reach(org=tree.county, date_from=TODAY, date_to=TODAY)
    assert [(r.push.pk, r.opened, r.members) for r in reach] == [(pushed.pk, 1, 2)]
    assert reach[0].share == 0.5
    assert ItemView.objects.get(person=tree.member_person, item=item).opened == 2
    assert PushOpen.objects.count() == 1
