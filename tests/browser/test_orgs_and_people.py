"""Administrators in the browser: the organization tree, a person's masked numbers, scope 404s."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in_administrator

MASKED_ID_CARD = re.compile(r"^\d{6}\*{8}[\dX]{4}$")
FULL_ID_CARD = re.compile(r"^\d{17}[\dX]$")
ID_CARD_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")


@pytest.mark.browser
def test_org_admin_browses_tree_to_county_and_sees_masked_id_card(
    page: Page, xuexi_server: str
) -> None:
    # given: the administrator of 长春市委 signs in and enrols the second factor
    sign_in_administrator(page, "city_admin")
    expect(page).to_have_url(f"{xuexi_server}/")
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    # and the menus fit one row of a 1366-pixel screen
    bar = page.locator("nav.xx-navbar").bounding_box()
    assert bar is not None and bar["height"] < 70, f"导航栏换行了：高 {bar}"

    # when: 组织体系 (under the 组织 menu), expanding the tree down to 南关区 and one level below it
    page.get_by_test_id("nav-group-orgs").click()
    page.get_by_role("navigation").get_by_role("link", name="组织体系").click()
    expect(page).to_have_url(f"{xuexi_server}/orgs/")
    tree = page.get_by_test_id("org-tree")
    county_link = tree.get_by_role("link", name="中共南关区委员会", exact=True)
    expect(county_link).to_have_count(0)
    city_toggle = tree.get_by_role("button", name="展开 中共长春市委员会", exact=True)
    city_toggle.click()
    expect(county_link).to_be_visible()
    expect(city_toggle).to_have_attribute("aria-expanded", "true")
    county_item = tree.locator("li").filter(
        has=page.locator(":scope > a", has_text="中共南关区委员会")
    )
    county_toggle = county_item.get_by_role("button", name="展开 中共南关区委员会", exact=True)
    county_toggle.click()
    expect(county_item.locator(":scope > ul > li > a").first).to_be_visible()
    expect(county_toggle).to_have_attribute("aria-expanded", "true")

    county_link.click()
    expect(page).to_have_url(f"{xuexi_server}/orgs/220102/")
    expect(page.get_by_test_id("org-name")).to_have_text("中共南关区委员会")
    person_link = page.get_by_test_id("people-table").locator("tbody a").first
    name = person_link.inner_text().strip()
    person_link.click()

    # then: the person's page shows the ID number masked, and nowhere in full
    expect(page).to_have_url(re.compile(r"/people/[^/]+/$"))
    expect(page.get_by_test_id("person-name")).to_have_text(name)
    masked = page.get_by_test_id("id-card").inner_text().strip()
    assert MASKED_ID_CARD.match(masked), masked
    html_before = page.content()
    assert not ID_CARD_IN_TEXT.search(html_before), ID_CARD_IN_TEXT.findall(html_before)

    # when: 查看完整信息
    page.get_by_role("button", name="查看完整信息").click()

    # then: the full number, consistent with its mask
    revealed = page.get_by_test_id("revealed")
    expect(revealed).to_be_visible()
    full = revealed.locator("dd").first.inner_text().strip()
    assert FULL_ID_CARD.match(full), full
    assert (full[:6], full[-4:]) == (masked[:6], masked[-4:])
    assert full not in html_before


@pytest.mark.browser
def test_county_admin_gets_404_page_for_other_county(page: Page, xuexi_server: str) -> None:
    # given: the administrator of 南关区, signed in with the second factor, sees their own county
    sign_in_administrator(page, "county_admin")
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    # and the menus fit one row of a 1366-pixel screen
    bar = page.locator("nav.xx-navbar").bounding_box()
    assert bar is not None and bar["height"] < 70, f"导航栏换行了：高 {bar}"
    own = page.goto("/orgs/220102/")
    assert own is not None and own.status == 200
    expect(page.get_by_test_id("org-name")).to_have_text("中共南关区委员会")

    # when: 昌邑区 under 吉林市, then a code that does not exist
    other = page.goto("/orgs/220202/")
    assert other is not None
    other_body = other.text()
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    missing = page.goto("/orgs/NO-SUCH-CODE/")
    assert missing is not None

    # then: the same 404 page, byte for byte, with nothing of 昌邑区 in it
    assert (other.status, missing.status) == (404, 404)
    assert "页面不存在" in other_body
    assert other_body == missing.text()
    assert "昌邑" not in other_body and "220202" not in other_body
