"""网络学习计时 over HTTP: the item page beats (CSRF-protected), the API beat, and who may beat what."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from tests import factories
from tests.conftest import Tree, signed_in_client
from tests.library.test_api import _send
from tests.library.world import publish
from xuexi.accounts.models import User
from xuexi.library.models import ReadingTime


def test_the_api_beat_answers_todays_time(tree: Tree, member: User) -> None:
    # given
    item = publish("K1", "县级资料")
    # when
    answer = _send("POST", f"/api/library/items/{item.pk}/heartbeat", member, {"visible": True, "active": True})
    # then
    assert answer.status_code == 200
    assert answer.json() == {"credited_seconds": 0, "today_seconds": 0, "today_minutes": 0, "today_hours": "0"}
    assert ReadingTime.objects.get(item=item).beats == 1


def test_another_counties_member_reviewer_and_anonymous_are_refused(tree: Tree, reviewer: User) -> None:
    # given: an item of K1; a member of K3
    item = publish("K1", "县级资料")
    outsider = factories.make_user("outsider", person=tree.other_member)
    path = f"/api/library/items/{item.pk}/heartbeat"
    body = {"visible": True, "active": True}
    # when / then
    assert _send("POST", path, outsider, body).status_code == 404
    assert _send("POST", path, reviewer, body).status_code == 403
    assert Client().post(path, body, content_type="application/json").status_code == 401
    assert not ReadingTime.objects.exists()


def test_the_item_page_beats_for_a_member_and_the_beat_needs_the_csrf_token(tree: Tree, member: User,
                                                                            reviewer: User) -> None:
    # given
    item = publish("P", "省级资料")
    client = signed_in_client(member)
    # when
    page = client.get(f"/library/{item.pk}/").content.decode()
    # then: the panel and the vendored script, no inline script
    assert 'data-testid="online-learning"' in page and "xuexi/online.js" in page and "今日网络学习" in page
    assert "online.js" not in signed_in_client(reviewer).get(f"/library/{item.pk}/").content.decode()
    assert "今日网络学习 0 分钟" in client.get("/today/").content.decode()
    # and a beat without the token is refused, one with it counted
    strict = signed_in_client(member)
    strict.handler.enforce_csrf_checks = True
    assert strict.post(f"/library/{item.pk}/heartbeat/", {"visible": "1", "active": "1"}).status_code == 403
    token = strict.get(f"/library/{item.pk}/").cookies[settings.CSRF_COOKIE_NAME].value
    answer = strict.post(f"/library/{item.pk}/heartbeat/", {"visible": "1", "active": "1"},
                         HTTP_X_CSRFTOKEN=token)
    assert answer.status_code == 200 and answer.json()["today_minutes"] == 0


def test_the_province_edits_the_rule_on_its_page(tree: Tree, province_admin: User, member: User) -> None:
    # given
    client = signed_in_client(province_admin)
    form = {"enabled": "on", "beat_seconds": "20", "grace_seconds": "20", "item_cap_minutes": "30",
            "day_cap_minutes": "120"}
    # when: a grace as long as the interval, then a good one
    refused = client.post("/admin/online-rule/", form).content.decode()
    saved = client.post("/admin/online-rule/", {**form, "grace_seconds": "5"})
    # then
    assert "允许误差（秒）“20”无效" in refused
    assert saved.status_code == 302
    assert signed_in_client(member).get("/admin/online-rule/").status_code == 404
