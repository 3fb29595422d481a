from __future__ import annotations

import pytest
from django.test import Client

from xuexi.accounts.models import User
from xuexi.demo.generate import DEMO_PASSWORD, DemoRefused, generate
from xuexi.orgs.models import Organization
from xuexi.people.models import Person


def _fingerprint() -> list[tuple[str, str, str]]:
    return list(Person.objects.order_by("number").values_list("number", "name", "org__code")[:300])


def test_demo_builds_a_consistent_tree_on_the_real_divisions(db: None) -> None:
    # when
    result = generate(scale="small", seed=3)
    # then: every prefecture and county-level division has its committee
    assert result.organizations == Organization.objects.count()
    assert Organization.objects.filter(level="市级").count() == 9
    assert Organization.objects.filter(level="县级").count() == 69
    assert Organization.objects.get(code="220184").name == "中共公主岭市委员会"
    assert Organization.objects.get_parent(Organization.objects.get(code="22SZ")).code == "220000"
    for org in Organization.objects.filter(level="县级")[:10]:
        assert Organization.objects.get_parent(org).level == "市级"
        assert org.numchild == Organization.objects.get_children(org).count()
    assert set(Organization.objects.values_list("sector", flat=True)) >= {
        "党政机关", "事业单位", "国有企业", "农村", "社区", "非公有制经济组织", "社会组织", "高等学校"}
    assert 4000 <= result.people <= 7000


def test_demo_is_reproducible_from_its_seed(db: None) -> None:
    generate(scale="small", seed=11)
    first = _fingerprint()
    generate(scale="small", seed=11, reset=True)
    assert _fingerprint() == first
    generate(scale="small", seed=12, reset=True)
    assert _fingerprint() != first


def test_demo_refuses_a_database_with_data(db: None) -> None:
    generate(scale="small", seed=1)
    with pytest.raises(DemoRefused):
        generate(scale="small", seed=1)


def test_demo_has_leaders_in_realistic_proportions(db: None) -> None:
    generate(scale="small", seed=5)
    people = Person.objects.count()
    assert Person.objects.filter(leader_post="省级领导", rank="省部级").count() == 11
    assert Person.objects.filter(leader_post="市州领导").count() == 9 * 9
    assert Person.objects.filter(leader_post="县市区领导").count() == 69 * 8
    assert Person.objects.exclude(leader_post="无").count() < people * 0.2
    assert Person.objects.filter(group_rows__group="离退休").exists()
    assert Person.objects.filter(id_card_masked="").count() == 0


def test_demo_accounts_sign_in_without_extra_steps_in_demo_environment(db: None, settings: object) -> None:
    # given
    settings.DEMO = True  # type: ignore[attr-defined]
    result = generate(scale="small", seed=2)
    usernames = [username for username, _, _ in result.accounts]
    # then: one account per role, all demo accounts
    assert usernames == ["province_admin", "city_admin", "county_admin", "branch_admin", "reviewer", "cadre",
                         "member", "sysadmin", "secadmin", "auditor"]
    for username in usernames:
        client = Client()
        client.post("/accounts/sign-in/", {"username": username, "password": DEMO_PASSWORD})
        assert client.get("/").status_code == 200, username
    assert User.objects.get(username="auditor").person is None


def test_demo_accounts_need_second_factor_outside_demo_environment(db: None) -> None:
    generate(scale="small", seed=2)
    client = Client()
    client.post("/accounts/sign-in/", {"username": "county_admin", "password": DEMO_PASSWORD})
    assert client.get("/").url == "/accounts/otp/"
