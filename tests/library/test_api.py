"""The library API: search ranked by relevance, an item (its opening recorded), publishing, today's push."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from tests.conftest import Tree
from tests.library.world import TODAY, publish, push
from xuexi.accounts.models import User
from xuexi.accounts.services import api_token_create
from xuexi.library.models import ItemView


def _send(method: str, path: str, user: User, body: object | None = None) -> Any:
    _, secret = api_token_create(user=user, name="测试")
    data = "" if body is None else json.dumps(body)
    return Client().generic(method, path, data=data, content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_search_answers_the_best_match_first(tree: Tree, member: User) -> None:
    # given
    publish("P", "顺带提到", "工作总结。" * 30 + "黑土地保护")
    publish("K1", "黑土地保护专题", "黑土地保护利用，保护好黑土地")
    publish("K3", "外县黑土地保护", "黑土地保护")
    # when
    answer = _send("GET", "/api/library/items?q=黑土地保护", member)
    # then
    assert answer.status_code == 200
    assert [i["title"] for i in answer.json()["items"]] == ["黑土地保护专题", "顺带提到"]


def test_an_item_is_read_and_the_reading_recorded(tree: Tree, member: User) -> None:
    # given
    item = publish("C1", "市级资料", "正文")
    # when
    answer = _send("GET", f"/api/library/items/{item.pk}", member)
    # then
    assert answer.status_code == 200 and answer.json()["publisher_code"] == "C1"
    assert ItemView.objects.filter(person=tree.member_person, item=item).exists()


def test_a_county_admin_publishes_and_an_unknown_kind_is_named(tree: Tree, county_admin: User) -> None:
    # given
    body = {"org_code": "K1", "kind": "文章", "title": "县级资料", "date": TODAY.isoformat(), "areas": ["科学发展观"]}
    # when
    created = _send("POST", "/api/library/items", county_admin, body)
    refused = _send("POST", "/api/library/items", county_admin, {**body, "kind": "海报"})
    # then
    assert created.status_code == 201 and created.json()["areas"] == ["科学发展观"]
    assert refused.status_code == 422 and "海报" in refused.json()["detail"]


def test_today_lists_the_nearest_push_first(tree: Tree, member: User) -> None:
    # given
    push("P", [publish("P", "省级")])
    push("T1", [publish("K1", "县级"), publish("P", "省级二")])
    # when
    answer = _send("GET", "/api/library/today", member).json()
    # then
    assert [(p["org_code"], [i["title"] for i in p["items"]]) for p in answer] == [("T1", ["县级", "省级二"]),
                                                                                   ("P", ["省级"])]
