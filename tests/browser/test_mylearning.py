"""我的学习 in the browser, at a phone's width: a cadre finds their hours and the norms that apply to them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import submit_sign_in


@pytest.mark.browser
def test_a_cadre_opens_my_learning_and_sees_hours_and_a_norm(page: Page, xuexi_server: str) -> None:
    # given: the demo's cadre (a 县市区领导) on a phone-sized screen
    page.set_viewport_size({"width": 390, "height": 844})
    submit_sign_in(page, "cadre")
    page.goto("/")
    # when: from the 工作台
    page.get_by_test_id("workbench-me").click()
    # then: the year's hours, and the research-days norm of city and county leaders with its status
    expect(page.get_by_role("heading", name="我的学习")).to_be_visible()
    expect(page.get_by_test_id("me-hours")).to_have_text(re.compile(r"^\d+(\.\d+)?$"))
    norm = page.get_by_test_id("me-norm").filter(has_text="调查研究")
    expect(norm).to_contain_text("要求 60")
    expect(norm.get_by_test_id("me-norm-status")).to_have_text(re.compile("达标|未达标|进行中|进度滞后|豁免"))
    expect(norm.get_by_role("link", name="为什么是这个结果")).to_be_visible()
