"""典型经验 in the browser: a county sends one up, the city approves it into its library, a member finds it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, sign_in_administrator, submit_sign_in

TITLE = "南关区党员夜校常态化学习的典型经验"


def _second_page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def city_page(browser: Browser, xuexi_server: str) -> Iterator[Page]:
    """The administrator of 长春市, above 南关区, at a second browser."""
    yield from _second_page(browser, xuexi_server)


@pytest.fixture
def member_page(browser: Browser, xuexi_server: str) -> Iterator[Page]:
    """A member of a branch inside 南关区 (so inside 长春市's subtree), at a third browser."""
    yield from _second_page(browser, xuexi_server)


@pytest.mark.browser
def test_a_county_experience_approved_by_the_city_is_found_in_the_library(
        page: Page, city_page: Page, member_page: Page) -> None:
    # given: 南关区 records a 典型经验
    sign_in_administrator(page, "county_admin")
    page.goto("/orgs/220102/outcomes/new/")
    page.get_by_label("成果类别").select_option("典型经验")
    page.get_by_label("标题").fill(TITLE)
    expect(page.get_by_label("日期", exact=True)).not_to_have_value("")  # today, as an ISO date
    page.get_by_label("内容摘要").fill("每周二晚开设党员夜校，围绕乡村振兴开展专题学习和交流。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("outcome-title")).to_have_text(TITLE)
    # when: it sends it up
    page.get_by_test_id("experience-submit").click()
    expect(page.get_by_test_id("outcome-status")).to_contain_text("已报上级")
    # then: the city finds it among those waiting, approves it and publishes it
    sign_in_administrator(city_page, "city_admin")
    city_page.goto("/experiences/")
    city_page.get_by_test_id("experience-inbox").get_by_role("link", name=TITLE).click()
    city_page.get_by_label("审核意见（可不填）").fill("做法可复制，入库推广。")
    city_page.get_by_test_id("experience-approve").click()
    expect(city_page.get_by_test_id("outcome-status")).to_contain_text("已入库")
    expect(city_page.get_by_test_id("experience-events")).to_contain_text("做法可复制，入库推广。")
    # and a member inside the city's subtree finds it by searching the library
    submit_sign_in(member_page, "member")
    # (among the city's items: the demo's many other items on 党员 may outrank it on the first page)
    member_page.goto("/library/?q=党员夜校&publisher=220100")
    found = member_page.get_by_test_id("library-items").get_by_role("link", name=TITLE)
    expect(found).to_have_count(1)
    found.click()
    expect(member_page.get_by_test_id("item-title")).to_have_text(TITLE)
    expect(member_page.get_by_test_id("item-experience")).to_contain_text("审核入库")
