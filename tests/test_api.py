from __future__ import annotations

from django.test import Client

from tests.conftest import Tree, signed_in_client
from xuexi.accounts.models import User
from xuexi.accounts.services import api_token_create
from xuexi.orgs.models import Organization
from xuexi.people.models import Person


def _bearer(user: User) -> dict[str, str]:
    _, secret = api_token_create(user=user, name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_list_is_paginated_and_scoped(tree: Tree, city_admin: User) -> None:
    response = Client().get("/api/orgs?page_size=2", **_bearer(city_admin))
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 5  # C1, K1, T1, B1, K2
    assert [o["code"] for o in body["items"]] == ["C1", "K1"]
    assert body["items"][0]["parent_code"] is None  # the province lies outside the scope


def test_filters_by_level_and_search(tree: Tree, province_admin: User) -> None:
    headers = _bearer(province_admin)
    counties = Client().get("/api/orgs?level=县级", **headers).json()
    assert sorted(o["code"] for o in counties["items"]) == ["K1", "K2", "K3"]
    found = Client().get("/api/orgs?search=丙县", **headers).json()
    assert [o["code"] for o in found["items"]] == ["K1", "T1"]


def test_error_shape_is_code_and_chinese_detail(tree: Tree, county_admin: User) -> None:
    response = Client().get("/api/orgs/K3", **_bearer(county_admin))
    assert response.status_code == 404
    assert response.json() == {"code": "org_not_found", "detail": "组织编码 K3 不存在"}
    assert Client().get("/api/orgs/NOPE", **_bearer(county_admin)).json()["detail"] == "组织编码 NOPE 不存在"


def test_create_org_and_person_through_the_api(tree: Tree, county_admin: User) -> None:
    client, headers = Client(), _bearer(county_admin)
    created = client.post("/api/orgs", {"code": "B9", "name": "新支部", "parent_code": "T1", "level": "基层",
                                        "kind": "党支部", "sector": "农村"},
                          content_type="application/json", **headers)
    assert created.status_code == 201
    assert created.json()["parent_code"] == "T1"
    person = client.post("/api/people", {"number": "NEW1", "name": "新党员", "org_code": "B9",
                                         "phone": "13500001234", "groups": ["流动党员"]},
                         content_type="application/json", **headers)
    assert person.status_code == 201
    assert person.json()["phone"] == "135****1234"
    assert person.json()["groups"] == ["流动党员"]


def test_unknown_fields_are_refused_mass_assignment(tree: Tree, county_admin: User) -> None:
    response = Client().patch("/api/orgs/K1", {"name": "改名", "path": "0001"},
                              content_type="application/json", **_bearer(county_admin))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert response.json()["detail"] == "path：不接受此字段"
    assert Organization.objects.get(code="K1").name == "中共丙县委员会"


def test_invalid_value_is_explained(tree: Tree, county_admin: User) -> None:
    response = Client().patch("/api/orgs/K1", {"level": "村级"}, content_type="application/json",
                              **_bearer(county_admin))
    assert response.status_code == 422
    assert response.json()["code"] == "org_invalid"
    assert "组织层级" in response.json()["detail"]


def test_move_and_cycle_through_the_api(tree: Tree, city_admin: User) -> None:
    client, headers = Client(), _bearer(city_admin)
    moved = client.post("/api/orgs/T1/move", {"new_parent_code": "K2"}, content_type="application/json",
                        **headers)
    assert moved.status_code == 200
    assert moved.json()["parent_code"] == "K2"
    cycle = client.post("/api/orgs/K2/move", {"new_parent_code": "B1"}, content_type="application/json",
                        **headers)
    assert (cycle.status_code, cycle.json()["code"]) == (422, "org_move_cycle")


def test_transfer_and_reveal_through_the_api(tree: Tree, city_admin: User) -> None:
    client, headers = Client(), _bearer(city_admin)
    transfer = client.post("/api/people/MEM1/transfer", {"to_org_code": "K2", "reason": "调动"},
                           content_type="application/json", **headers)
    assert transfer.json()["to_org_code"] == "K2"
    revealed = client.post("/api/people/MEM1/reveal", **headers)
    assert revealed.json()["phone"] == "13912345678"
    assert revealed["Cache-Control"] == "no-store"


def test_detail_never_holds_full_numbers(tree: Tree, province_admin: User) -> None:
    body = Client().get("/api/people/MEM1", **_bearer(province_admin)).content.decode()
    person = Person.objects.get(number="MEM1")
    assert "13912345678" not in body
    assert person.phone_masked in body


def test_session_api_needs_csrf_for_writes(tree: Tree, county_admin: User) -> None:
    client = signed_in_client(county_admin)
    client.handler.enforce_csrf_checks = True
    response = client.patch("/api/orgs/K1", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert Organization.objects.get(code="K1").name == "中共丙县委员会"


def test_anonymous_and_bad_token_get_401(tree: Tree) -> None:
    assert Client().get("/api/orgs").status_code == 401
    response = Client().get("/api/orgs", HTTP_AUTHORIZATION="Bearer nonsense")
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")


def test_openapi_schema_lists_the_operations(tree: Tree, member: User) -> None:
    schema = signed_in_client(member).get("/api/openapi.json").json()
    assert "/api/orgs/{code}/move" in schema["paths"]
    assert "/api/people/{number}/transfer" in schema["paths"]
