"""学习资料库 pages: the list and its search, an item and its files (PDF inline, video by ranges), today's push."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import Tree, signed_in_client
from tests.library.test_services import MP4, PDF
from tests.library.world import TODAY, publish, push
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.library import services
from xuexi.library.models import DailyPush, LibraryItem, PushOpen


@pytest.fixture
def member_client(member: User) -> Client:
    return signed_in_client(member)


def test_the_list_ranks_a_search_and_hides_other_subtrees(tree: Tree, member_client: Client) -> None:
    # given
    publish("P", "乡村振兴一瞥", "其他内容" * 30 + "乡村振兴")
    publish("P", "乡村振兴专题", "乡村振兴 乡村振兴")
    publish("K3", "外县乡村振兴", "乡村振兴")
    # when
    page = member_client.get("/library/", {"q": "乡村振兴"}).content.decode()
    # then
    assert page.index("乡村振兴专题") < page.index("乡村振兴一瞥")
    assert "外县乡村振兴" not in page


def test_a_member_opens_todays_push_from_the_workbench(tree: Tree, member_client: Client) -> None:
    # given
    item = publish("P", "今日学习：党的创新理论", "正文内容")
    push("P", [item])
    # when
    workbench = member_client.get("/").content.decode()
    detail = member_client.get(f"/library/{item.pk}/")
    # then
    assert "今日学习：党的创新理论" in workbench
    assert detail.status_code == 200 and "正文内容" in detail.content.decode()
    assert PushOpen.objects.filter(person=tree.member_person).count() == 1


def test_a_pdf_is_served_inline_for_the_browsers_viewer(tree: Tree, county_admin: User,
                                                        member_client: Client) -> None:
    # given
    item = publish("K1")
    stored = services.item_file_add(actor=county_admin, scope=Scope.for_user(county_admin), item_id=item.pk,
                                    name="讲义.pdf", data=PDF)
    # when
    response = member_client.get(f"/library/{item.pk}/files/{stored.pk}/")
    # then
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]


def test_a_video_answers_a_range_request_with_206(tree: Tree, county_admin: User, member_client: Client) -> None:
    # given
    item = publish("K1", kind="视频")
    stored = services.item_file_add(actor=county_admin, scope=Scope.for_user(county_admin), item_id=item.pk,
                                    name="课程.mp4", data=MP4)
    url = f"/library/{item.pk}/files/{stored.pk}/"
    # when
    part = member_client.get(url, HTTP_RANGE="bytes=4-11")
    tail = member_client.get(url, HTTP_RANGE="bytes=-8")
    beyond = member_client.get(url, HTTP_RANGE=f"bytes={len(MP4)}-")
    # then
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 4-11/{len(MP4)}"
    assert b"".join(part.streaming_content) == MP4[4:12]  # type: ignore[attr-defined]
    assert b"".join(tail.streaming_content) == MP4[-8:]  # type: ignore[attr-defined]
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(MP4)}"
    assert part["Content-Type"] == "video/mp4" and part["Accept-Ranges"] == "bytes"


def test_a_file_of_another_subtree_is_not_found(tree: Tree, other_county_admin: User, member_client: Client) -> None:
    # given
    item = publish("K3")
    stored = services.item_file_add(actor=other_county_admin, scope=Scope.for_user(other_county_admin),
                                    item_id=item.pk, name="讲义.pdf", data=PDF)
    # when / then
    assert member_client.get(f"/library/{item.pk}/files/{stored.pk}/").status_code == 404


def test_a_county_admin_publishes_through_the_form(tree: Tree, county_admin: User) -> None:
    # given
    client = signed_in_client(county_admin)
    # when
    response = client.post("/library/new/", {"org_code": "K1", "kind": "文章", "title": "县委理论学习", "date": TODAY,
                                             "areas": ["科学发展观"], "campaign_codes": "", "body": "正文"})
    # then
    item = LibraryItem.objects.get(title="县委理论学习")
    assert response.status_code == 302 and response["Location"] == f"/library/{item.pk}/"


def test_publishing_for_the_city_above_names_the_org_code(tree: Tree, county_admin: User) -> None:
    # given
    client = signed_in_client(county_admin)
    # when
    response = client.post("/library/new/", {"org_code": "C1", "kind": "文章", "title": "越级", "date": TODAY})
    # then
    assert response.status_code == 200 and "组织编码 C1 不存在" in response.content.decode()
    assert not LibraryItem.objects.exists()


def test_an_editor_sets_todays_push_and_sees_its_reach(tree: Tree, county_admin: User, member: User) -> None:
    # given
    first, second = publish("P", "第一条"), publish("K1", "第二条")
    client = signed_in_client(county_admin)
    # when
    saved = client.post("/orgs/K1/push/", {"date": TODAY, "items": f"{second.pk}、{first.pk}"})
    services.item_open(scope=Scope.for_user(member), item=first)
    page = client.get("/orgs/K1/push/").content.decode()
    # then
    assert saved.status_code == 302
    assert [e.item.title for e in DailyPush.objects.get(org__code="K1").entries.all()] == ["第二条", "第一条"]
    assert "50%" in page and "王党员" not in page


def test_a_push_of_an_unknown_item_shows_the_number(tree: Tree, county_admin: User) -> None:
    # given
    client = signed_in_client(county_admin)
    # when
    response = client.post("/orgs/K1/push/", {"date": TODAY, "items": "999999"})
    # then
    assert response.status_code == 200 and "学习资料 999999 不存在" in response.content.decode()
    assert not DailyPush.objects.exists()


def test_the_list_and_todays_page_take_a_fixed_number_of_queries(
        tree: Tree, member_client: Client, django_assert_max_num_queries: Any) -> None:
    # given
    items = [publish("P", f"资料{n}", "乡村振兴") for n in range(12)]
    push("P", items[:5])
    push("K1", items[5:8])
    member_client.get("/library/")  # the session and the scope's first reads; ten of the queries are the sign-in's
    # when / then
    with django_assert_max_num_queries(16):
        member_client.get("/library/", {"q": "乡村振兴"})
    with django_assert_max_num_queries(16):
        member_client.get("/today/")
