"""Learning records in the browser: an import with errors, recording an activity, certifying a claim."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in_administrator, submit_sign_in

BAD_MEMBERS = (
    "人员编号,姓名,所属组织编码,身份证号,关注群体\n"
    "Z1,测试甲,220102001001,11010519491231002X,离退休\n"
    "Z2,测试乙,220102001001,110105194912310021,退伍军人\n"
)


@pytest.mark.browser
def test_import_with_errors_lists_them_by_row_and_column(page: Page, xuexi_server: str, tmp_path: Path) -> None:
    # given: a branch administrator with a GB18030 CSV holding two bad cells in row 3
    path = tmp_path / "members.csv"
    path.write_bytes(BAD_MEMBERS.encode("gb18030"))
    sign_in_administrator(page, "branch_admin")
    # when
    page.get_by_test_id("nav-group-orgs").click()
    page.get_by_role("navigation").get_by_role("link", name="导入导出").click()
    page.get_by_label("数据表").select_option(label="人员")
    page.get_by_label("文件（.xlsx、.xls 或 .csv）").set_input_files(str(path))
    page.get_by_role("button", name="检查文件").click()
    # then
    expect(page.get_by_test_id("import-failed")).to_contain_text("没有导入任何数据")
    rows = page.get_by_test_id("import-errors").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("3")
    texts = [rows.nth(i).inner_text() for i in range(2)]
    assert any("身份证号" in t and "校验位" in t for t in texts)
    assert any("关注群体" in t and "退伍军人" in t for t in texts)


@pytest.mark.browser
def test_claim_is_certified_and_an_activity_recorded(page: Page, xuexi_server: str) -> None:
    # given: the cadre declares six hours of self-study
    submit_sign_in(page, "cadre")
    page.goto("/")
    page.locator("a[href^='/people/']").first.click()
    page.get_by_role("link", name="学习档案").click()
    page.get_by_role("link", name="学时申报").click()
    page.get_by_label("学习内容").fill("浏览器测试：自学党章")
    page.get_by_label("开始日期").fill("2026-01-15")
    page.get_by_label("申报学时").fill("6")
    page.get_by_role("button", name="提交申报").click()
    expect(page.get_by_test_id("claim-table")).to_contain_text("待认定")
    page.get_by_role("button", name="退出").click()
    # when: the province administrator certifies it from the queue
    sign_in_administrator(page, "province_admin")
    page.get_by_test_id("nav-group-supervision").click()
    page.get_by_role("navigation").get_by_role("link", name="学时认定", exact=True).click()
    row = page.get_by_test_id("claim-queue").locator("tr", has_text="浏览器测试：自学党章")
    row.get_by_role("button", name="认定", exact=True).click()
    # then
    expect(page.get_by_text("已处理。")).to_be_visible()
    expect(page.get_by_test_id("claim-queue")).not_to_contain_text("浏览器测试：自学党章")
    # and when: the same administrator records an off-job training for 南关区
    page.goto("/orgs/220102/activities/new/")
    page.get_by_label("活动编号").fill("BROWSER-1")
    page.get_by_label("活动类型").select_option("培训")
    page.get_by_label("主题").fill("浏览器测试培训班")
    page.get_by_label("开始日期").fill("2026-02-02")
    page.get_by_label("结束日期").fill("2026-02-06")
    page.get_by_label("学时", exact=True).fill("30")
    page.get_by_label("培训类别（仅培训）").select_option("理论培训")
    page.get_by_label("脱产（仅培训）").check()
    page.get_by_role("button", name="保存").click()
    # then it is recorded and listed among the county's own trainings
    expect(page.get_by_text("已登记活动“浏览器测试培训班”，请登记参加人员。")).to_be_visible()
    page.goto("/orgs/220102/activities/?kind=培训&own=1")
    expect(page.get_by_test_id("activity-table")).to_contain_text("浏览器测试培训班")


@pytest.mark.browser
def test_reviewer_sees_activities_but_may_not_record(page: Page, xuexi_server: str) -> None:
    # given: a reviewer of the whole province
    submit_sign_in(page, "reviewer")
    # when: a reviewer opens the county's activities, the form to record one is not offered
    page.goto("/orgs/220102/activities/")
    # then
    expect(page.get_by_test_id("activity-table")).to_be_visible()
    expect(page.get_by_role("link", name="登记活动")).to_have_count(0)
    assert page.goto("/orgs/220102/activities/new/").status == 403


@pytest.mark.browser
def test_branch_secretary_records_an_activity_with_attendance(page: Page, xuexi_server: str) -> None:
    # given: the branch administrator, who signs in members without phones
    sign_in_administrator(page, "branch_admin")
    # when: a party lecture is recorded for the branch
    page.goto("/orgs/220102001001/activities/new/")
    page.get_by_label("活动编号").fill("BROWSER-LECTURE")
    page.get_by_label("活动类型").select_option("讲党课")
    page.get_by_label("主题").fill("浏览器测试：支部党课")
    page.get_by_label("开始日期").fill("2026-03-10")
    page.get_by_label("学时", exact=True).fill("2")
    page.get_by_role("button", name="保存").click()
    # then the activity's page opens, with nobody signed in yet
    expect(page.get_by_text("已登记活动“浏览器测试：支部党课”，请登记参加人员。")).to_be_visible()
    expect(page.get_by_test_id("attendance-table")).to_contain_text("尚未登记参加人员")
    # when: one member is marked on leave and the rest of the branch present
    page.get_by_role("link", name="登记参加人员").click()
    rows = page.get_by_test_id("sign-in-table").locator("tbody tr")
    expect(rows).to_have_count(7)
    rows.nth(0).locator("select").select_option("请假")
    page.get_by_role("button", name="保存，未登记的本页人员记为出席").click()
    # then
    expect(page.get_by_text("已登记 7 人的出勤。")).to_be_visible()
    page.get_by_role("link", name="浏览器测试：支部党课").click()
    counts = page.get_by_test_id("attendance-counts")
    expect(counts).to_contain_text("出席 6")
    expect(counts).to_contain_text("请假 1")
    expect(page.get_by_test_id("attendance-table").locator("tbody tr")).to_have_count(7)
