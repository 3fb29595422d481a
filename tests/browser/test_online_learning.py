"""网络学习 in the browser: a member reads today's push, the page beats, and the archive shows the hours credited.

The province first sets the beat to every 2 seconds (grace 1) on its rule page; the demo member has read for
5 minutes 54 seconds earlier today (demo/online.py), so a few beats make six minutes: the first 0.1 h.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, sign_in_administrator, submit_sign_in


@pytest.mark.browser
def test_a_member_reads_todays_push_and_sees_the_hours_credited(page: Page, browser: Browser,
                                                                xuexi_server: str) -> None:
    # given: the province beats every 2 seconds
    sign_in_administrator(page, "province_admin")
    page.goto("/admin/online-rule/")
    page.get_by_label("计时间隔（秒）").fill("2")
    page.get_by_label("允许误差（秒）").fill("1")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存网络学习计时规则")
    # and the member, in a browser of their own, opens today's first pushed item
    context = browser.new_context(viewport=DESKTOP, base_url=xuexi_server, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    try:
        reader = context.new_page()
        submit_sign_in(reader, "member")
        reader.goto("/today/")
        reader.get_by_test_id("push-item").first.click()
        expect(reader.get_by_test_id("online-minutes")).to_have_text("5")
        # when: the page stays open and in use for a few beats
        reader.mouse.move(200, 300)
        # then: today's time passes six minutes on the page
        expect(reader.get_by_test_id("online-minutes")).to_have_text("6", timeout=30_000)
        # and the archive credits 0.1 h of 网络学习, explained
        reader.goto("/")
        reader.locator("a[href^='/people/']").first.click()
        reader.get_by_role("link", name="学习档案").click()
        row = reader.get_by_test_id("archive-table").locator("tr", has_text="在线学习")
        expect(row).to_contain_text("网络学习")
        expect(row).to_contain_text(re.compile(r"在线学习 6 分钟（平台计时"))
        expect(row.locator("td").nth(4)).to_have_text(re.compile(r"^0\.10?$"))
    finally:
        context.close()
