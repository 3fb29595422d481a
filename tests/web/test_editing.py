from __future__ import annotations

from tests.conftest import Tree, signed_in_client
from xuexi.accounts.models import User
from xuexi.orgs.models import Organization
from xuexi.people.models import Person, Transfer


def test_admin_creates_child_org_from_the_page(tree: Tree, county_admin: User) -> None:
    response = signed_in_client(county_admin).post("/orgs/T1/new-child/", {
        "code": "B2", "name": "二村党支部", "level": "基层", "kind": "党支部", "sector": "农村"})
    assert response.status_code == 302
    org = Organization.objects.get(code="B2")
    assert org.path.startswith(tree.township.path)


def test_duplicate_code_is_shown_on_the_form(tree: Tree, county_admin: User) -> None:
    response = signed_in_client(county_admin).post("/orgs/T1/new-child/", {
        "code": "K3", "name": "重复", "level": "基层", "kind": "党支部", "sector": "农村"})
    assert response.status_code == 200
    assert "组织编码 K3 已被使用" in response.content.decode()


def test_move_into_own_subtree_is_explained_on_the_form(tree: Tree, city_admin: User) -> None:
    response = signed_in_client(city_admin).post("/orgs/K1/move/", {"new_parent_code": "B1"})
    assert "不能把" in response.content.decode()
    assert Organization.objects.get(code="K1").path == tree.county.path


def test_deactivate_with_members_shows_the_reason(tree: Tree, county_admin: User) -> None:
    response = signed_in_client(county_admin).post("/orgs/B1/deactivate/", follow=True)
    assert "组织关系转接" in response.content.decode()
    assert Organization.objects.get(code="B1").is_active


def test_add_edit_and_transfer_a_person_from_the_pages(tree: Tree, county_admin: User) -> None:
    client = signed_in_client(county_admin)
    client.post("/orgs/B1/new-person/", {"number": "P77", "name": "新人", "rank": "无", "leader_post": "无",
                                          "phone": "13711112222", "groups": ["流动党员"]})
    client.post("/people/P77/edit/", {"name": "新人甲", "rank": "乡科级", "leader_post": "无", "id_card": "",
                                       "phone": ""})
    client.post("/people/P77/transfer/", {"to_org_code": "T1", "reason": "调整"})
    person = Person.objects.get(number="P77")
    assert (person.name, person.rank, person.phone_masked, person.org.code) == ("新人甲", "乡科级", "137****2222",
                                                                                 "T1")
    assert Transfer.objects.filter(person=person).count() == 1


def test_invalid_id_card_is_named_on_the_form(tree: Tree, county_admin: User) -> None:
    response = signed_in_client(county_admin).post("/orgs/B1/new-person/", {
        "number": "P78", "name": "某", "rank": "无", "leader_post": "无", "id_card": "220102198001011230"})
    assert "身份证号" in response.content.decode()
    assert not Person.objects.filter(number="P78").exists()


def test_reviewer_gets_403_on_edit_forms(tree: Tree, reviewer: User) -> None:
    client = signed_in_client(reviewer)
    assert client.get("/orgs/K1/edit/").status_code == 403
    assert client.post("/people/MEM1/transfer/", {"to_org_code": "K2"}).status_code == 403
    assert Person.objects.get(number="MEM1").org.code == "B1"
