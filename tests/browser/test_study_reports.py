"""述学 in the browser: a member writes and submits a study report, an administrator above reviews it from the
organization's inbox with a rating and a comment, and the member sees the review."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, sign_in_administrator, submit_sign_in


@pytest.fixture
def admin_page(browser: Browser, xuexi_server: str) -> Iterator[Page]:
    """A second person at a second browser: the administrator of 南关区, above the member's branch."""
    context = browser.new_context(viewport=DESKTOP, base_url=xuexi_server, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.browser
def test_a_member_submits_and_an_administrator_reviews_from_the_inbox(page: Page, admin_page: Page) -> None:
    # given: the demo member, and the administrator of 南关区 above the member's branch
    title = f"浏览器测试述学报告 {int(time.time())}"
    year = time.localtime().tm_year
    submit_sign_in(page, "member")
    sign_in_administrator(admin_page, "county_admin")
    # when: the member writes a report on this year and submits it
    page.goto("/")
    page.get_by_test_id("nav-group-learning").click()
    page.get_by_test_id("nav-study-reports").click()
    page.locator("#id_period").select_option("年度")
    page.locator("#id_title").fill(title)
    page.locator("#id_body").fill("一、学习情况：认真学习党章党规。\n二、学用结合：用于村务工作。")
    page.get_by_test_id("save-draft").click()
    expect(page.get_by_test_id("study-status")).to_have_text("草稿")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("study-status")).to_have_text("已提交")
    # then: the administrator finds it in the inbox of 南关区 and reviews it
    admin_page.goto(f"/orgs/220102/study-reports/?year={year}&period=年度&who=全体党员&status=submitted")
    row = admin_page.locator("[data-testid=inbox] tr", has_text=title)
    expect(row.get_by_test_id("status")).to_have_text("已提交")
    row.get_by_role("link", name="打开").click()
    expect(admin_page.get_by_test_id("study-body")).to_contain_text("认真学习党章党规")
    admin_page.locator("#id_rating").select_option("优秀")
    admin_page.locator("#id_comment").fill("学习扎实，请继续联系村务实际。")
    admin_page.get_by_test_id("review-submit").click()
    expect(admin_page.get_by_test_id("study-status")).to_have_text("已评阅")
    expect(admin_page.get_by_test_id("review")).to_have_count(0)
    # and the member sees the rating and the comment
    page.goto("/study-reports/")
    mine = page.locator("[data-testid=my-reports] tr", has_text=title)
    expect(mine.get_by_test_id("status")).to_have_text("已评阅")
    expect(mine.get_by_test_id("rating")).to_have_text("优秀")
    mine.get_by_role("link", name="打开").click()
    expect(page.get_by_test_id("study-comment")).to_contain_text("学习扎实，请继续联系村务实际。")
    expect(page.get_by_test_id("edit-form")).to_have_count(0)
