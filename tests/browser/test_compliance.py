"""制度落实 in the browser: a county administrator drills from a rule's roll-up to a leader behind and reads why."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in_administrator


@pytest.mark.browser
def test_county_admin_drills_from_a_rule_to_a_leader_behind_and_reads_why(page: Page, xuexi_server: str) -> None:
    # given: the administrator of 南关区
    sign_in_administrator(page, "county_admin")
    # when: they open the county's 制度落实 and the leaders behind on off-job training hours
    page.goto("/orgs/220102/")
    page.get_by_role("link", name="制度落实").click()
    rule = page.get_by_test_id("rollup-leader-off-job-training-110h")
    expect(rule).to_contain_text("县处级以上领导干部脱产培训每年不少于 110 学时")
    rule.locator("summary").click()
    rule.locator("details li a").first.click()
    # then: the leader's row says which norm, which period, and which records counted or not
    row = page.get_by_test_id("compliance-row").filter(has_text="县处级以上领导干部脱产培训每年不少于 110 学时")
    expect(row).to_contain_text("制度原文：县处级以上党政领导干部参加脱产培训每年一般不少于110学时")
    expect(row).to_contain_text("要求 110")
    expect(row.get_by_test_id("row-status")).to_contain_text("进度落后")
    row.locator("summary").click()
    expect(row.locator("tbody tr").first).to_be_visible()


@pytest.mark.browser
def test_the_dashboard_draws_its_charts_under_the_content_security_policy(page: Page, xuexi_server: str) -> None:
    # given: the county administrator, and every message the browser logs
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("response", lambda response: messages.append(f"error: {response.status} {response.url}")
            if response.status >= 400 else None)
    sign_in_administrator(page, "county_admin")
    # when: they open the county's dashboard
    page.goto("/orgs/220102/compliance/")
    # then: every chart is drawn (ECharts, vendored, from our own static files) and nothing was refused
    charts = page.locator("[data-chart]")
    expect(charts.first).to_have_attribute("data-drawn", "1")
    assert charts.count() >= 4
    expect(page.locator('[data-chart="chart-rules"] svg')).to_have_count(1)
    assert page.locator("[data-chart]:not([data-drawn])").count() == 0
    assert not [m for m in messages if m.startswith("error")], messages
    # and the 关注群体's coverage and the quarter trend are there in figures too
    expect(page.get_by_test_id("coverage")).to_contain_text("离退休")
    expect(page.get_by_test_id("trend")).to_contain_text("第1季度")
