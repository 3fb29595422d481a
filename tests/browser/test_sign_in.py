"""Signing in through the browser: lock-out after failures, a plain account on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, sign_in_administrator, submit_sign_in, totp

WRONG_PASSWORD_ERROR = "用户名或密码不正确。"


def test_totp_helper_matches_rfc_6238_test_vectors() -> None:
    # given: the SHA1 secret of RFC 6238 appendix B, "12345678901234567890" in base32
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    # when / then
    assert totp(secret, at=59, digits=8) == "94287082"
    assert totp(secret, at=1111111109, digits=8) == "07081804"
    assert totp(secret, at=1234567890) == "005924"
    assert totp(secret.lower(), at=20000000000) == "353130"


@pytest.mark.browser
def test_five_wrong_passwords_lock_the_account(page: Page) -> None:
    # given: four wrong passwords for `member`, each refused with the one sign-in error
    for attempt in range(1, 5):
        answer = submit_sign_in(page, "member", f"Wrong#Passw0rd-{attempt}")
        assert answer is not None and answer.status == 200, attempt
        expect(page.get_by_test_id("sign-in-error")).to_have_text(WRONG_PASSWORD_ERROR)
        expect(page.get_by_test_id("locked")).to_have_count(0)

    # when: the fifth wrong password, then the right one
    fifth = submit_sign_in(page, "member", "Wrong#Passw0rd-5")
    fifth_locked = page.get_by_test_id("locked").inner_text()
    right = submit_sign_in(page, "member")

    # then: the fifth failure locks the account (django-axes answers it with the lock-out page),
    # and the right password is refused too, with the same lock-out message
    assert fifth is not None and fifth.status == 429
    assert "账户已锁定 30 分钟" in fifth_locked
    assert right is not None and right.status == 429
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/$"))
    expect(page.get_by_test_id("locked")).to_have_text(fifth_locked)
    expect(page.get_by_test_id("sign-in-error")).to_have_count(0)
    expect(page.get_by_role("heading", name="工作台")).to_have_count(0)

    # when: an unknown user name
    unknown = submit_sign_in(page, "no_such_user_anywhere", "Wrong#Passw0rd-1")

    # then: the very same answer as a wrong password
    assert unknown is not None and unknown.status == 200
    expect(page.get_by_test_id("sign-in-error")).to_have_text(WRONG_PASSWORD_ERROR)
    expect(page.get_by_test_id("locked")).to_have_count(0)

    # when: the security administrator lifts the lock (which also leaves `member` free for the tests after)
    sign_in_administrator(page, "secadmin")
    page.goto("/admin/accounts/")
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name="member", exact=True))
    row.get_by_role("button", name="解除锁定").click()
    page.get_by_role("button", name="退出").click()
    # then: the right password signs `member` in again
    answer = submit_sign_in(page, "member")
    assert answer is not None and answer.status == 200
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


@pytest.mark.browser
def test_first_sign_in_of_cadre_and_phone_viewport(page: Page, xuexi_server: str) -> None:
    # `cadre` rather than `member`: the lock-out test above locks `member` on this same server.
    # given: a phone-sized window
    page.set_viewport_size(PHONE)

    # when: the cadre signs in for the first time
    submit_sign_in(page, "cadre")

    # then: straight to 工作台 (no second factor for a non-administrator), with their info card
    expect(page).to_have_url(f"{xuexi_server}/")
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    card = page.locator(".card").filter(has_text="我的信息")
    expect(card).to_be_visible()
    me = card.get_by_role("link").filter(has_text=re.compile(r"^(?!我的学习$)"))
    expect(me).to_have_attribute("href", re.compile(r"^/people/[^/]+/$"))
    expect(card.get_by_test_id("workbench-me")).to_have_attribute("href", "/me/")
    display_name = page.locator("#nav .bi-person-circle").locator("xpath=..").inner_text().strip()
    expect(me).to_have_text(display_name)
    expect(card).to_contain_text("领导职务 县市区领导")
    expect(page.get_by_test_id("org-count")).to_have_count(0)
    box = card.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # and the navigation is collapsed behind the toggler until it is opened
    toggler = page.get_by_role("button", name="展开导航")
    navigation = page.locator("#nav")
    workbench_link = navigation.get_by_role("link", name="工作台")
    expect(toggler).to_be_visible()
    expect(navigation).to_be_hidden()
    expect(workbench_link).to_be_hidden()
    toggler.click()
    expect(navigation).to_be_visible()
    expect(workbench_link).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(navigation.get_by_role("link", name="组织体系")).to_have_count(0)
