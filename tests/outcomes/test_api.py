"""The outcomes API: list, detail, record and change, by token, scoped like the pages."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from tests.conftest import Tree
from tests.outcomes.world import DAY, THIS_YEAR, activity, record
from xuexi.accounts.models import User
from xuexi.accounts.services import api_token_create
from xuexi.outcomes.models import Outcome


def _bearer(user: User) -> dict[str, str]:
    _, secret = api_token_create(user=user, name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _send(method: str, path: str, user: User, body: object | None = None) -> Any:
    data = "" if body is None else json.dumps(body)
    return Client().generic(method, path, data=data, content_type="application/json", **_bearer(user))


_NEW = {"org_code": "K1", "kind": "决策建议", "title": "关于优化营商环境的建议", "date": DAY.isoformat(),
        "adoption": "已采纳", "decision_name": "丙发〔2025〕8号", "decision_date": DAY.isoformat(),
        "activity_numbers": ["R1"], "author_numbers": ["CAD1"]}


def test_record_read_and_change_an_outcome(tree: Tree, county_admin: User) -> None:
    # given
    activity("R1")
    # when
    created = _send("POST", "/api/outcomes", county_admin, _NEW)
    number = created.json()["number"]
    changed = _send("PUT", f"/api/outcomes/{number}", county_admin,
                    {**{k: v for k, v in _NEW.items() if k != "org_code"}, "title": "改过的建议"})
    # then
    assert created.status_code == 201
    assert created.json()["adopted"] is True and created.json()["activities"][0]["number"] == "R1"
    assert created.json()["authors"] == [{"number": "CAD1", "name": "李书记", "org_code": "K1",
                                          "org_name": "中共丙县委员会"}]
    assert changed.status_code == 200 and changed.json()["title"] == "改过的建议"
    assert _send("GET", f"/api/outcomes/{number}", county_admin).json()["decision_name"] == "丙发〔2025〕8号"


def test_the_list_is_the_subtree_by_default(tree: Tree, city_admin: User) -> None:
    record("C1", title="市里的")
    record("K1", title="县里的")
    listed = _send("GET", f"/api/outcomes?org=C1&year={THIS_YEAR}", city_admin).json()
    own = _send("GET", "/api/outcomes?org=C1&subtree=false", city_admin).json()
    assert listed["count"] == 2 and [i["title"] for i in own["items"]] == ["市里的"]


def test_a_refused_activity_answers_422_naming_it(tree: Tree, county_admin: User) -> None:
    activity("T9", kind="培训")
    response = _send("POST", "/api/outcomes", county_admin, {**_NEW, "kind": "调研报告", "adoption": "",
                                                              "decision_name": "", "decision_date": None,
                                                              "activity_numbers": ["T9"]})
    assert response.status_code == 422
    assert response.json() == {"code": "outcome_activity_refused", "field": "activity_numbers",
                               "detail": "来源活动 T9（培训T9）是培训：调研报告应来自专题调研或调查研究活动"}
    assert not Outcome.objects.exists()


def test_another_county_gets_404_as_for_a_missing_number(tree: Tree, other_county_admin: User) -> None:
    outcome = record("K1")
    seen = _send("GET", f"/api/outcomes/{outcome.number}", other_county_admin)
    missing = _send("GET", "/api/outcomes/ZZ-CG2025-001", other_county_admin)
    assert seen.status_code == 404
    assert json.dumps(seen.json(), ensure_ascii=False).replace(outcome.number, "ZZ-CG2025-001") == \
        json.dumps(missing.json(), ensure_ascii=False)


def test_an_unknown_field_is_refused(tree: Tree, county_admin: User) -> None:
    response = _send("POST", "/api/outcomes", county_admin, {**_NEW, "status": "published"})
    assert response.status_code == 422 and "status：不接受此字段" in response.json()["detail"]
