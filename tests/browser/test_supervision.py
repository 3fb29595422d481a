"""督学检查 in the browser: the city inspects a county, records a finding, issues an item; the county answers with
evidence; the city closes it; each side sees every step."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, sign_in_administrator

EVIDENCE = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.mark.browser
def test_an_inspection_from_finding_to_a_closed_item_seen_from_both_sides(
        page: Page, browser: Browser, xuexi_server: str, tmp_path: Path) -> None:
    # given: the city's administrator plans an inspection of 南关区 from the city's page
    evidence = tmp_path / "整改会议记录.pdf"
    evidence.write_bytes(EVIDENCE)
    sign_in_administrator(page, "city_admin")
    page.goto("/orgs/220100/")
    page.get_by_test_id("inspections-link").click()
    page.get_by_test_id("new-inspection").click()
    page.get_by_label("检查标题").fill("浏览器测试督学检查")
    page.get_by_label("被检查组织（组织编码）").fill("220102")
    page.get_by_label("检查组成员").fill("王督学 city_admin")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("inspection-title")).to_have_text("浏览器测试督学检查")
    inspection_page = page.url
    # when: it records a finding on 中心组学习, whose card shows the county's own sessions, and issues an item
    card = page.get_by_test_id("checklist-item").filter(has_text="主办中心组集体学习")
    expect(card).to_contain_text("第1季度")
    card.locator("summary", has_text="记录问题").click()
    card.get_by_label("发现的问题").fill("浏览器测试：第三季度中心组学习缺少签到表")
    card.get_by_role("button", name="记录").click()
    expect(page.get_by_test_id("inspection-status")).to_have_text("进行中")
    expect(page.get_by_test_id("findings")).to_contain_text("浏览器测试：第三季度中心组学习缺少签到表")
    page.locator("summary", has_text="下达整改要求").click()
    page.get_by_label("整改要求", exact=True).fill("浏览器测试：补齐签到表并建立台账")
    page.get_by_role("button", name="下达").click()
    issued = page.get_by_test_id("rectifications").get_by_test_id("rectification-row")
    expect(issued).to_contain_text("待整改")
    expect(issued).to_contain_text("中共南关区委员会")
    # and the county, on its own 督学检查 page, answers it with the evidence
    county = browser.new_context(viewport=DESKTOP, base_url=xuexi_server, locale="zh-CN",
                                 timezone_id="Asia/Shanghai").new_page()
    try:
        sign_in_administrator(county, "county_admin")
        # (its 工作台 flags what it owes: the demo's inspection left it an item five days overdue)
        county.goto("/")
        summary = county.get_by_test_id("rectification-summary")
        expect(summary.get_by_test_id("owed-overdue")).to_contain_text("逾期")
        expect(summary.get_by_test_id("overdue").first).to_contain_text("逾期 5 天")
        county.goto("/orgs/220102/inspections/")
        owed = county.get_by_test_id("owed").get_by_test_id("rectification-row").filter(
            has_text="浏览器测试：补齐签到表并建立台账")
        expect(owed).to_contain_text("待整改")
        owed.get_by_role("link", name="第 1 项").click()
        county.get_by_label("整改措施").fill("浏览器测试：已补齐签到表")
        county.locator("#files").set_input_files(str(evidence))
        county.get_by_role("button", name="报送").click()
        expect(county.get_by_test_id("item-status")).to_have_text("待核验")
        item_page = county.url
        # then: the city sees the measures and the evidence, and closes the item
        page.goto(item_page)
        expect(page.get_by_test_id("history")).to_contain_text("浏览器测试：已补齐签到表")
        expect(page.get_by_test_id("evidence")).to_contain_text("整改会议记录.pdf")
        page.get_by_label("核验意见（退回时必填）").fill("整改到位，同意销号")
        page.get_by_role("button", name="销号").click()
        expect(page.get_by_test_id("item-status")).to_have_text("已销号")
        page.goto(inspection_page)
        expect(page.get_by_test_id("rectifications")).to_contain_text("已销号")
        # and the county sees it closed, with every step of its history
        county.reload()
        expect(county.get_by_test_id("item-status")).to_have_text("已销号")
        expect(county.get_by_test_id("history-step")).to_have_count(3)
        expect(county.get_by_test_id("history")).to_contain_text("整改到位，同意销号")
    finally:
        county.context.close()

