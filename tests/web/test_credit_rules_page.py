"""学时认定规则 page: the province changes a kind's default credit; everyone else with business data reads."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from tests.conftest import Tree, signed_in_client
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import whole_tree_scope
from xuexi.learning import services
from xuexi.learning.models import CreditRule

URL = "/admin/credit-rules/"


def test_province_admin_sees_every_kind_with_a_form_and_changes_one(tree: Tree, province_admin: User) -> None:
    # given
    client = signed_in_client(province_admin)
    page = client.get(URL).content.decode()
    assert page.count('name="hours_per_session"') == 12
    assert 'data-kind="讲党课"' in page and "0（未设置）" in page
    # when
    response = client.post(URL, {"kind": "培训", "hours_per_session": "6", "hours_per_day": "7.5"})
    # then
    assert (response.status_code, response["Location"]) == (302, URL)
    rule = CreditRule.objects.get(kind="培训")
    assert (rule.hours_per_session, rule.hours_per_day, rule.updated_by) == (Decimal(6), Decimal("7.5"),
                                                                             "province_admin")
    assert AuditEvent.objects.filter(action="credit_rule_set", object_id="培训").exists()
    shown = client.get(URL).content.decode()
    assert "已修改“培训”的学时认定规则。" in shown
    assert "7.5" in shown and "province_admin" in shown


def test_an_empty_day_rate_means_per_session(tree: Tree, province_admin: User) -> None:
    # given
    services.credit_rule_set(actor=None, scope=whole_tree_scope(), kind="培训", hours_per_session=Decimal(6),
                             hours_per_day=Decimal(8))
    # when
    signed_in_client(province_admin).post(URL, {"kind": "培训", "hours_per_session": "4", "hours_per_day": ""})
    # then
    rule = CreditRule.objects.get(kind="培训")
    assert (rule.hours_per_session, rule.hours_per_day) == (Decimal(4), None)


def test_bad_values_are_explained_in_chinese_and_change_nothing(tree: Tree, province_admin: User) -> None:
    # given
    client = signed_in_client(province_admin)
    # when
    not_a_number = client.post(URL, {"kind": "讲党课", "hours_per_session": "两小时"}, follow=True)
    negative = client.post(URL, {"kind": "讲党课", "hours_per_session": "-1"}, follow=True)
    too_long_a_day = client.post(URL, {"kind": "培训", "hours_per_session": "6", "hours_per_day": "30"}, follow=True)
    unknown_kind = client.post(URL, {"kind": "开会", "hours_per_session": "2"}, follow=True)
    # then
    assert not_a_number.redirect_chain == [(URL, 302)]
    assert "讲党课：每次学时“两小时”无效：应为不小于 0、至多两位小数的数" in not_a_number.content.decode()
    assert "讲党课：每次学时“-1”无效" in negative.content.decode()
    assert "培训：每天学时“30”无效：应为0 到 24 之间" in too_long_a_day.content.decode()
    assert "活动类型“开会”无效" in unknown_kind.content.decode()
    assert not CreditRule.objects.exists()


@pytest.mark.parametrize("role", ["city_admin", "reviewer", "member"])
def test_others_with_business_data_read_only(tree: Tree, role: str, request: pytest.FixtureRequest) -> None:
    # given
    services.credit_rule_set(actor=None, scope=whole_tree_scope(), kind="讲党课", hours_per_session=Decimal(2))
    client = signed_in_client(request.getfixturevalue(role))
    # when
    page = client.get(URL)
    refused = client.post(URL, {"kind": "讲党课", "hours_per_session": "9"})
    # then
    assert page.status_code == 200
    assert 'name="hours_per_session"' not in page.content.decode()
    assert "您可以查看" in page.content.decode()
    assert refused.status_code == 403
    assert "学时认定规则由省级组织管理员设置" in refused.content.decode()
    assert CreditRule.objects.get().hours_per_session == Decimal(2)


@pytest.mark.parametrize("role", ["auditor", "system_admin", "security_admin"])
def test_separated_accounts_get_the_404_page(tree: Tree, role: str, request: pytest.FixtureRequest) -> None:
    # given
    client = signed_in_client(request.getfixturevalue(role))
    # when
    page = client.get(URL)
    refused = client.post(URL, {"kind": "讲党课", "hours_per_session": "9"})
    # then
    assert (page.status_code, refused.status_code) == (404, 404)
    assert not CreditRule.objects.exists()


def test_anonymous_is_sent_to_sign_in(tree: Tree) -> None:
    response = Client().get(URL)
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/accounts/sign-in/")


def test_the_nav_links_to_the_rules(tree: Tree, county_admin: User) -> None:
    assert f'href="{URL}"' in signed_in_client(county_admin).get("/").content.decode()
