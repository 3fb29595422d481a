"""理论学习天天向上 in the browser: a member opens today's push on a phone and reads an item."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import submit_sign_in
from xuexi.demo.library import ITEMS, PUSHED_TODAY


@pytest.mark.browser
def test_a_member_opens_todays_push_and_reads_an_item_on_a_phone(page: Page, xuexi_server: str) -> None:
    # given: the demo province pushed three items today; the member is on a phone-sized screen
    page.set_viewport_size({"width": 390, "height": 844})
    submit_sign_in(page, "member")
    # when
    page.goto("/")
    today = page.get_by_test_id("workbench-today")
    expect(today.get_by_test_id("push-item")).to_have_count(3)
    first = today.get_by_test_id("push-item").first
    title = first.inner_text()
    first.click()
    # then
    expect(page.get_by_test_id("item-title")).to_have_text(title)
    expect(page.get_by_test_id("item-body")).to_contain_text(ITEMS[PUSHED_TODAY[0]][4][:12])
    # and the library finds it by a Chinese query
    page.goto("/library/?q=乡村振兴战略")
    expect(page.get_by_test_id("library-items").locator("a").first).to_contain_text("乡村振兴战略专题辅导")
