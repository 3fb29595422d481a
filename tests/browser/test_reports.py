"""The annual report in the browser: drafted, sent, returned with comments, sent again and accepted, from both sides."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, sign_in_administrator

YEAR = 2026  # this year's report: the demo holds none yet for it
REPORT = f"/orgs/220102/reports/{YEAR}/"


@pytest.fixture
def city_page(browser: Browser, xuexi_server: str) -> Iterator[Page]:
    """A second person at a second browser: the city above 南关区."""
    context = browser.new_context(viewport=DESKTOP, base_url=xuexi_server, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.browser
def test_draft_submit_return_resubmit_accept_seen_from_both_sides(page: Page, city_page: Page) -> None:
    # given: the administrators of 南关区 and of 长春市 above it
    sign_in_administrator(page, "county_admin")
    sign_in_administrator(city_page, "city_admin")
    # when: the county drafts its report from the record, adds a line and sends it
    page.goto("/orgs/220102/")
    page.get_by_test_id("reports-link").click()
    page.goto(REPORT)
    page.get_by_test_id("draft").click()
    expect(page.locator("#id_basics")).to_contain_text("共主办学习活动")
    page.locator("#id_practices").fill("坚持中心组学习制度，领导带头讲党课。")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已报送")
    expect(page.locator('[data-version="1"]')).to_contain_text("待审核")
    # then: the city sees it in its inbox and returns it with comments
    city_page.goto(f"/orgs/220100/reports/inbox/?year={YEAR}")
    row = city_page.locator('[data-org="220102"]')
    expect(row.get_by_test_id("status")).to_contain_text("已报送")
    row.get_by_role("link", name="打开").click()
    expect(city_page.get_by_test_id("review")).to_contain_text("坚持中心组学习制度")
    city_page.get_by_label("审核意见").fill("请补充调查研究情况。")
    city_page.get_by_test_id("return").click()
    expect(city_page.get_by_test_id("report-status")).to_have_text("已退回")
    # when: the county reads the comments, mends the report and sends it again
    page.goto(REPORT)
    expect(page.locator('[data-version="1"]')).to_contain_text("请补充调查研究情况。")
    page.locator("#id_practices").fill("坚持中心组学习制度，领导带头讲党课，开展蹲点调研。")
    page.get_by_test_id("submit").click()
    expect(page.locator('[data-version="2"]')).to_contain_text("待审核")
    # then: the city accepts the second version; both sides see it accepted, and both versions kept
    city_page.goto(REPORT)
    expect(city_page.get_by_test_id("review")).to_contain_text("开展蹲点调研")
    city_page.get_by_test_id("accept").click()
    expect(city_page.get_by_test_id("report-status")).to_have_text("已通过")
    page.goto(REPORT)
    expect(page.get_by_test_id("report-status")).to_have_text("已通过")
    expect(page.locator('[data-version="1"]')).to_contain_text("退回修改")
    expect(page.locator('[data-version="2"]')).to_contain_text("通过")
    expect(page.get_by_test_id("report-form")).to_have_count(0)
