"""通知 pages: one's own notifications only, newest first, unread marked, and marking them read."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import Client

from tests.conftest import Tree, signed_in_client
from xuexi.accounts.models import User
from xuexi.notices.models import Notification
from xuexi.notices.services import remind

URL = "/notifications/"
# Half the year gone and CAD1 behind on both rules: the cadre and K1's administrator hear of it.
MID_YEAR = date(2026, 7, 1)


def _unread(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def test_one_sees_ones_own_notifications_newest_first_with_unread_marked(
        tree: Tree, cadre: User, county_admin: User) -> None:
    # given: CAD1 behind pace on both rules in July 2026 and again in January 2027 (told to the cadre and K1's
    # administrator), and K1's report reminder of 15 January 2027 (told to the administrator only)
    remind(as_of=MID_YEAR)
    remind(as_of=date(2027, 1, 15))
    # when
    html = signed_in_client(cadre).get(URL).content.decode()
    # then
    assert html.count('data-unread="1"') == 4
    assert "李书记 2026 年脱产培训进度落后" in html and 'href="/people/CAD1/compliance/"' in html
    assert "年度学习计划须于 1 月 31 日前报送" not in html  # the administrator's, not the cadre's
    assert 'data-testid="nav-notices"' in html and '<span class="badge text-bg-danger">4</span>' in html


def test_the_administrators_list_is_newest_first(tree: Tree, cadre: User, county_admin: User) -> None:
    # given: March's notices, then July's
    remind(as_of=date(2026, 3, 31))
    remind(as_of=MID_YEAR)
    # when
    html = signed_in_client(county_admin).get(URL).content.decode()
    # then
    assert html.index("截至 2026-07-01") < html.index("截至 2026-03-31")


def test_marking_one_read_leaves_the_others_unread(tree: Tree, cadre: User, county_admin: User) -> None:
    # given
    remind(as_of=MID_YEAR)
    first = Notification.objects.filter(recipient=cadre).order_by("pk").first()
    assert first is not None
    client = signed_in_client(cadre)
    # when
    response = client.post("/notifications/read/", {"id": str(first.pk)})
    # then
    assert (response.status_code, response["Location"]) == (302, URL)
    assert _unread(cadre) == 1
    assert _unread(county_admin) == 2


def test_marking_all_read_and_someone_elses_id_changes_only_ones_own(
        tree: Tree, cadre: User, county_admin: User) -> None:
    # given
    remind(as_of=MID_YEAR)
    theirs = Notification.objects.filter(recipient=county_admin).order_by("pk").first()
    assert theirs is not None
    client = signed_in_client(cadre)
    # when
    client.post("/notifications/read/", {"id": [str(theirs.pk), "x", "9" * 40]})
    unchanged = _unread(county_admin)
    client.post("/notifications/read/", {"all": "1"})
    # then
    assert unchanged == 2
    assert _unread(cadre) == 0
    assert _unread(county_admin) == 2
    html = client.get(URL).content.decode()
    assert 'data-unread="1"' not in html and '<span class="badge text-bg-danger">' not in html


def test_the_list_is_paginated(tree: Tree, cadre: User, county_admin: User, settings: Any) -> None:
    # given: four notices for the administrator, two to a page
    settings.XUEXI_PAGE_SIZE = 2
    remind(as_of=MID_YEAR)
    remind(as_of=date(2026, 8, 1))
    client = signed_in_client(county_admin)
    # when
    first, second = client.get(URL).content.decode(), client.get(URL + "?page=2").content.decode()
    # then
    assert first.count("data-notification=") == 2 and second.count("data-notification=") == 2
    assert "第 1 / 2 页，共 4 条" in first


def test_an_anonymous_visitor_is_sent_to_sign_in_and_no_count_is_queried(
        tree: Tree, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(0):
        response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")


def test_the_unread_count_costs_one_query(tree: Tree, cadre: User) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # given
    remind(as_of=MID_YEAR)
    client = signed_in_client(cadre)
    # when
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    # then
    counts = [q["sql"] for q in queries.captured_queries if "notices_notification" in q["sql"]]
    assert len(counts) == 1 and "COUNT(" in counts[0].upper()
