"""The learning records API: activities, attendance, archives, claims and credit rules, by token."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.test import Client
from django.utils import timezone

from tests.conftest import Tree, signed_in_client
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.accounts.services import api_token_create
from xuexi.learning import services
from xuexi.learning.models import Activity, Attendance, ClaimStatus, CreditRule, LearningClaim
from xuexi.learning.services import ActivityInput, AttendanceInput


def _bearer(user: User) -> dict[str, str]:
    _, secret = api_token_create(user=user, name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _activity(number: str, host: str, day: date = date(2025, 5, 6), **fields: Any) -> Activity:
    values: dict[str, Any] = {"kind": "讲座论坛", "topic": f"讲座{number}", "hours": Decimal(2)}
    values.update(fields)
    return services.activity_save(actor=None, scope=whole_tree_scope(), data=ActivityInput(
        number=number, host_code=host, start_date=day, **values))


def _claim(user: User, title: str = "自学党章", day: date = date(2025, 7, 1), hours: int = 6) -> LearningClaim:
    return services.claim_submit(actor=user, scope=Scope.for_user(user), title=title, start_date=day,
                                 hours=Decimal(hours))


def _json(client: Client, method: str, path: str, body: object, headers: dict[str, str]) -> Any:
    return client.generic(method, path, data=json.dumps(body), content_type="application/json", **headers)


def _listed(client: Client, path: str, headers: dict[str, str], key: str = "number") -> list[str]:
    return [item[key] for item in client.get(path, **headers).json()["items"]]


def _body(response: Any) -> str:
    return json.dumps(response.json(), ensure_ascii=False, sort_keys=True)


def _as_if_missing(response: Any, seen: str, missing: str) -> str:
    """The body, with the identifier the caller may not see replaced by one that exists nowhere."""
    return _body(response).replace(seen, missing)


_NEW = {"number": "N1", "kind": "中心组集体学习", "host_code": "K1", "start_date": "2025-06-03",
        "topic": "学习全会精神", "content_areas": ["中央和省委决策部署"]}


# -- activities ------------------------------------------------------------------------------------
def test_activity_list_is_scoped_filtered_and_paginated(
    tree: Tree, county_admin: User, django_assert_max_num_queries: Any
) -> None:
    # given
    _activity("L1", "K1", date(2025, 5, 6), content_areas=["科学发展观"])
    _activity("L2", "T1", date(2025, 5, 7), kind="专题学习", topic="专题学习会")
    _activity("L3", "K3", date(2025, 5, 8))
    client, headers = Client(), _bearer(county_admin)
    # when: the sign-in (token, grants), the count, the page, its content areas
    with django_assert_max_num_queries(6):
        listed = client.get("/api/activities", **headers).json()["items"]
    # then
    first_page = client.get("/api/activities?page_size=1", **headers).json()
    assert (first_page["count"], first_page["page_size"]) == (2, 1)
    assert first_page["items"][0]["number"] == "L2"  # newest first; L3 lies outside the scope
    assert listed[1] == {
        "number": "L1", "kind": "讲座论坛", "host_code": "K1", "host_name": "中共丙县委员会",
        "start_date": "2025-05-06", "end_date": "2025-05-06", "hours": 2.0, "topic": "讲座L1",
        "training_type": "", "off_job": False, "speaker": "", "venue": "", "content_areas": ["科学发展观"],
    }
    assert _listed(client, "/api/activities?org=T1", headers) == ["L2"]
    assert _listed(client, "/api/activities?org=K1&direct_only=true", headers) == ["L1"]
    assert _listed(client, "/api/activities?kind=专题学习", headers) == ["L2"]
    assert _listed(client, "/api/activities?since=2025-05-07", headers) == ["L2"]
    assert _listed(client, "/api/activities?until=2025-05-06", headers) == ["L1"]
    assert _listed(client, "/api/activities?search=专题", headers) == ["L2"]


def test_activity_list_of_an_unseen_org_answers_as_a_missing_one(tree: Tree, county_admin: User) -> None:
    # given
    client, headers = Client(), _bearer(county_admin)
    # when
    unseen = client.get("/api/activities?org=K3", **headers)
    missing = client.get("/api/activities?org=ZZ9", **headers)
    # then
    assert unseen.status_code == missing.status_code == 404
    assert _as_if_missing(unseen, "K3", "ZZ9") == _body(missing)


def test_activity_detail_holds_every_field_and_attendance_counts(tree: Tree, county_admin: User) -> None:
    # given
    _activity("A1", "K1", kind="培训", topic="培训班", training_type="理论培训", off_job=True,
              end_date=date(2025, 5, 8), hours=Decimal(24), speaker_number="CAD1", venue="党校",
              content_areas=["中国特色社会主义理论体系", "科学发展观"])
    services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number="A1", entries=[
        AttendanceInput("CAD1"), AttendanceInput("MEM1", status="请假")])
    # when
    response = Client().get("/api/activities/A1", **_bearer(county_admin))
    # then
    body = response.json()
    assert response.status_code == 200
    assert (body["kind"], body["training_type"], body["off_job"], body["end_date"]) == ("培训", "理论培训", True,
                                                                                        "2025-05-08")
    assert (body["speaker"], body["speaker_number"], body["venue"], body["hours"]) == ("李书记", "CAD1", "党校", 24.0)
    assert body["content_areas"] == ["中国特色社会主义理论体系", "科学发展观"]
    assert body["campaign_code"] is None
    assert body["attendance"] == {"出席": 1, "缺席": 0, "请假": 1}


def test_activity_outside_the_scope_is_404_like_a_missing_one(tree: Tree, county_admin: User) -> None:
    # given
    _activity("A3", "K3")
    client, headers = Client(), _bearer(county_admin)
    # when
    unseen = client.get("/api/activities/A3", **headers)
    missing = client.get("/api/activities/ZZ9", **headers)
    # then
    assert unseen.status_code == missing.status_code == 404
    assert unseen.json() == {"code": "activity_not_found", "detail": "活动编号 A3 不存在"}
    assert _as_if_missing(unseen, "A3", "ZZ9") == _body(missing)


def test_create_an_activity(tree: Tree, county_admin: User) -> None:
    # when
    response = _json(Client(), "POST", "/api/activities", _NEW, _bearer(county_admin))
    # then
    assert response.status_code == 201
    assert response.json()["content_areas"] == ["中央和省委决策部署"]
    assert response.json()["attendance"] == {"出席": 0, "缺席": 0, "请假": 0}
    assert Activity.objects.get(number="N1").host.code == "K1"
    assert AuditEvent.objects.filter(action="activity_create", object_id="N1").exists()


def test_create_refuses_a_number_already_used(tree: Tree, county_admin: User) -> None:
    # given
    _activity("N1", "K1")
    # when
    response = _json(Client(), "POST", "/api/activities", _NEW, _bearer(county_admin))
    # then
    assert response.status_code == 409
    assert response.json() == {"code": "activity_number_taken", "detail": "活动编号 N1 已被使用", "field": "number"}
    assert Activity.objects.get(number="N1").topic == "讲座N1"


def test_invalid_activity_is_422_naming_the_field_in_chinese(tree: Tree, county_admin: User) -> None:
    # given
    body = {**_NEW, "kind": "培训"}
    # when
    response = _json(Client(), "POST", "/api/activities", body, _bearer(county_admin))
    # then
    assert response.status_code == 422
    assert response.json() == {"code": "activity_invalid", "field": "training_type",
                               "detail": "未填写：应为岗前培训、业务培训、晋职培训、理论培训 之一（培训须填培训类别）"}
    assert not Activity.objects.filter(number="N1").exists()


def test_unknown_fields_are_refused(tree: Tree, county_admin: User) -> None:
    response = _json(Client(), "POST", "/api/activities", {**_NEW, "id": 7}, _bearer(county_admin))
    assert (response.status_code, response.json()["code"]) == (422, "invalid_input")
    assert not Activity.objects.exists()


def test_reviewer_may_not_create_an_activity(tree: Tree, reviewer: User) -> None:
    response = _json(Client(), "POST", "/api/activities", _NEW, _bearer(reviewer))
    assert (response.status_code, response.json()["code"]) == (403, "org_read_only")
    assert not Activity.objects.exists()


def test_update_an_activity(tree: Tree, county_admin: User) -> None:
    # given
    _activity("A1", "K1")
    body = {key: value for key, value in _NEW.items() if key != "number"} | {"host_code": "T1", "hours": "3.5"}
    # when
    response = _json(Client(), "PUT", "/api/activities/A1", body, _bearer(county_admin))
    # then
    assert response.status_code == 200
    assert (response.json()["host_code"], response.json()["hours"], response.json()["topic"]) == ("T1", 3.5,
                                                                                               "学习全会精神")
    assert Activity.objects.get(number="A1").kind == "中心组集体学习"
    assert AuditEvent.objects.filter(action="activity_update", object_id="A1").exists()


def test_update_is_403_for_a_reviewer_and_404_outside_the_scope(
    tree: Tree, reviewer: User, other_county_admin: User
) -> None:
    # given
    _activity("A1", "K1")
    body = {key: value for key, value in _NEW.items() if key != "number"}
    # when
    read_only = _json(Client(), "PUT", "/api/activities/A1", body, _bearer(reviewer))
    unseen = _json(Client(), "PUT", "/api/activities/A1", body, _bearer(other_county_admin))
    missing = _json(Client(), "PUT", "/api/activities/ZZ9", body, _bearer(other_county_admin))
    # then
    assert read_only.status_code == 403
    assert read_only.json() == {"code": "activity_invalid", "detail": "您对活动 A1 只有查看权限"}
    assert unseen.status_code == missing.status_code == 404
    assert _as_if_missing(unseen, "A1", "ZZ9") == _body(missing)
    assert Activity.objects.get(number="A1").topic == "讲座A1"


# -- attendance ------------------------------------------------------------------------------------
def test_record_attendance_in_a_batch_and_list_it(tree: Tree, county_admin: User) -> None:
    # given
    _activity("A1", "K1")
    client, headers = Client(), _bearer(county_admin)
    entries = [{"person_number": "CAD1"}, {"person_number": "MEM1", "status": "请假"}]
    # when
    recorded = _json(client, "POST", "/api/activities/A1/attendance", {"entries": entries}, headers)
    again = _json(client, "POST", "/api/activities/A1/attendance",
                  {"entries": [{"person_number": "MEM1", "status": "出席", "hours": "1.5", "days": "0.5"}]}, headers)
    # then
    assert recorded.status_code == 200
    assert recorded.json() == {"activity_number": "A1", "recorded": 2, "attendance": {"出席": 1, "缺席": 0, "请假": 1}}
    assert again.json()["attendance"] == {"出席": 2, "缺席": 0, "请假": 0}
    listing = client.get("/api/activities/A1/attendance", **headers).json()
    assert listing["count"] == 2
    member = next(row for row in listing["items"] if row["person_number"] == "MEM1")
    assert {k: member[k] for k in ("person_name", "org_code", "org_name", "status", "hours", "days")} == {
        "person_name": "王党员", "org_code": "B1", "org_name": "一村党支部", "status": "出席", "hours": 1.5,
        "days": 0.5}
    assert client.get("/api/activities/A1/attendance?status=出席&page_size=1", **headers).json()["count"] == 2
    assert AuditEvent.objects.filter(action="attendance_record", object_id="A1").count() == 2


def test_invalid_attendance_is_422_in_chinese_and_writes_nothing(tree: Tree, county_admin: User) -> None:
    # given
    _activity("A1", "K1")
    client, headers = Client(), _bearer(county_admin)
    # when
    bad_status = _json(client, "POST", "/api/activities/A1/attendance",
                       {"entries": [{"person_number": "CAD1"}, {"person_number": "MEM1", "status": "迟到"}]}, headers)
    unseen_person = _json(client, "POST", "/api/activities/A1/attendance",
                          {"entries": [{"person_number": "MEM2"}]}, headers)
    empty = _json(client, "POST", "/api/activities/A1/attendance", {"entries": []}, headers)
    # then
    assert bad_status.status_code == 422
    assert bad_status.json() == {"code": "activity_invalid", "detail": "出勤“迟到”无效，应为出席、缺席或请假",
                                 "field": "status"}
    assert unseen_person.json() == {"code": "activity_invalid", "detail": "人员编号 MEM2 不存在",
                                    "field": "person_number"}
    assert (empty.status_code, empty.json()["code"]) == (422, "invalid_input")
    assert not Attendance.objects.exists()


def test_attendance_is_403_for_a_reviewer_and_404_outside_the_scope(
    tree: Tree, reviewer: User, other_county_admin: User
) -> None:
    # given
    _activity("A1", "K1")
    body = {"entries": [{"person_number": "MEM2"}]}
    # when
    read_only = _json(Client(), "POST", "/api/activities/A1/attendance", body, _bearer(reviewer))
    listing = Client().get("/api/activities/A1/attendance", **_bearer(reviewer))
    unseen = _json(Client(), "POST", "/api/activities/A1/attendance", body, _bearer(other_county_admin))
    missing = _json(Client(), "POST", "/api/activities/ZZ9/attendance", body, _bearer(other_county_admin))
    unseen_list = Client().get("/api/activities/A1/attendance", **_bearer(other_county_admin))
    # then
    assert (read_only.status_code, listing.status_code) == (403, 200)
    assert unseen.status_code == missing.status_code == unseen_list.status_code == 404
    assert _as_if_missing(unseen, "A1", "ZZ9") == _body(missing)
    assert not Attendance.objects.exists()


# -- a person's archive ----------------------------------------------------------------------------
def test_archive_lists_every_record_with_totals(tree: Tree, member: User, county_admin: User) -> None:
    # given: a lecture attended, a default-credit study session attended, a lecture missed, a pending claim
    scope = whole_tree_scope()
    services.credit_rule_set(actor=None, scope=scope, kind="中心组集体学习", hours_per_session=Decimal(3))
    _activity("A1", "K1", date(2025, 3, 1), content_areas=["科学发展观"])
    _activity("A2", "K1", date(2025, 4, 1), kind="中心组集体学习", topic="学习会", hours=None)
    _activity("A3", "K1", date(2025, 5, 1))
    for number, status in (("A1", "出席"), ("A2", "出席"), ("A3", "缺席")):
        services.attendance_record(actor=None, scope=scope, activity_number=number,
                                   entries=[AttendanceInput("MEM1", status=status)])
    _claim(member, "自学", date(2025, 6, 1), 4)
    # when
    response = Client().get("/api/people/MEM1/archive?year=2025", **_bearer(county_admin))
    # then
    body = response.json()
    assert response.status_code == 200
    assert (body["person_number"], body["person_name"], body["org_code"], body["year"]) == ("MEM1", "王党员", "B1",
                                                                                          2025)
    assert (body["total_hours"], body["total_days"]) == (5.0, 2.0)
    assert body["entries"][0] == {
        "source": "参加记录", "reference": "A1", "kind": "讲座论坛", "title": "讲座A1", "date": "2025-03-01",
        "hours": 2.0, "days": 1.0, "off_job": False, "content_areas": ["科学发展观"], "counted": True,
        "reason": "活动登记的学时",
    }
    assert [(e["reference"], e["counted"], e["reason"]) for e in body["entries"][1:]] == [
        ("A2", True, "学时认定规则的默认学时"), ("A3", False, "缺席，不计学时"),
        (str(LearningClaim.objects.get().pk), False, "待所在组织认定，尚不计入")]
    assert body["by_kind"] == [{"kind": "中心组集体学习", "hours": 3.0, "days": 1.0},
                               {"kind": "讲座论坛", "hours": 2.0, "days": 1.0}]
    assert body["by_area"] == [{"area": "科学发展观", "hours": 2.0}]


def test_archive_defaults_to_this_year_and_is_ones_own(tree: Tree, member: User) -> None:
    # given
    client, headers = Client(), _bearer(member)
    # when
    own = client.get("/api/people/MEM1/archive", **headers)
    unseen = client.get("/api/people/CAD1/archive", **headers)
    missing = client.get("/api/people/ZZ9/archive", **headers)
    # then
    assert (own.status_code, own.json()["year"], own.json()["entries"]) == (200, timezone.localdate().year, [])
    assert unseen.status_code == missing.status_code == 404
    assert _as_if_missing(unseen, "CAD1", "ZZ9") == _body(missing)


# -- claims ----------------------------------------------------------------------------------------
def test_member_claims_and_an_administrator_certifies(tree: Tree, member: User, county_admin: User) -> None:
    # given
    claim = {"title": "自学党章", "start_date": "2025-07-01", "hours": "6", "evidence": "读书笔记"}
    # when
    submitted = _json(Client(), "POST", "/api/claims", claim, _bearer(member))
    claim_id = submitted.json()["id"]
    queue = Client().get("/api/claims?status=pending&org=T1", **_bearer(county_admin)).json()
    decided = _json(Client(), "POST", f"/api/claims/{claim_id}/decision", {"certify": True}, _bearer(county_admin))
    # then
    assert submitted.status_code == 201
    assert (submitted.json()["person_number"], submitted.json()["kind"], submitted.json()["status"]) == (
        "MEM1", "个人自学", "pending")
    assert [c["id"] for c in queue["items"]] == [claim_id]
    assert decided.status_code == 200
    assert (decided.json()["status"], decided.json()["status_label"], decided.json()["decided_by"]) == (
        "certified", "已认定", "county_admin")
    assert LearningClaim.objects.get().status == ClaimStatus.CERTIFIED
    assert AuditEvent.objects.filter(action="claim_certify", object_id=str(claim_id)).exists()


def test_claim_list_filters_by_status_and_org(tree: Tree, member: User, cadre: User, county_admin: User) -> None:
    # given
    _claim(member)
    certified = _claim(cadre, "自学条例")
    services.claim_decide(actor=county_admin, scope=whole_tree_scope(), claim_id=certified.pk, certify=True)
    client, headers = Client(), _bearer(county_admin)
    # then
    assert sorted(_listed(client, "/api/claims", headers, "title")) == ["自学党章", "自学条例"]
    assert _listed(client, "/api/claims?status=certified", headers, "title") == ["自学条例"]
    assert _listed(client, "/api/claims?org=B1", headers, "title") == ["自学党章"]
    assert _listed(client, "/api/claims?status=pending&org=K1&page_size=1", headers, "title") == ["自学党章"]
    assert Client().get("/api/claims", **_bearer(member)).json()["count"] == 1  # one's own only


def test_invalid_claim_requests_are_422_in_chinese(tree: Tree, member: User, county_admin: User) -> None:
    # given
    claim = _claim(member)
    # when
    bad_status = Client().get("/api/claims?status=done", **_bearer(county_admin))
    no_title = _json(Client(), "POST", "/api/claims", {"title": " ", "start_date": "2025-07-01", "hours": 2},
                     _bearer(member))
    no_reason = _json(Client(), "POST", f"/api/claims/{claim.pk}/decision", {"certify": False},
                      _bearer(county_admin))
    # then
    assert bad_status.status_code == no_title.status_code == no_reason.status_code == 422
    assert bad_status.json() == {"code": "activity_invalid", "field": "status",
                                 "detail": "状态“done”无效，应为 pending、certified、refused 之一"}
    assert no_title.json() == {"code": "activity_invalid", "detail": "请填写学习内容", "field": "title"}
    assert no_reason.json() == {"code": "activity_invalid", "detail": "不予认定时须说明理由", "field": "reason"}
    assert LearningClaim.objects.get().status == ClaimStatus.PENDING


def test_refusal_with_a_reason_and_a_second_decision_conflicts(tree: Tree, member: User, county_admin: User) -> None:
    # given
    claim = _claim(member)
    client, headers = Client(), _bearer(county_admin)
    # when
    refused = _json(client, "POST", f"/api/claims/{claim.pk}/decision", {"certify": False, "reason": "无学习记录"},
                    headers)
    again = _json(client, "POST", f"/api/claims/{claim.pk}/decision", {"certify": True}, headers)
    # then
    assert (refused.json()["status"], refused.json()["refusal_reason"]) == ("refused", "无学习记录")
    assert (again.status_code, again.json()["code"]) == (409, "claim_already_decided")


def test_deciding_is_403_when_read_only_and_404_outside_the_scope(
    tree: Tree, member: User, reviewer: User, other_county_admin: User
) -> None:
    # given
    claim = _claim(member)
    decision = {"certify": True}
    # when
    own = _json(Client(), "POST", f"/api/claims/{claim.pk}/decision", decision, _bearer(member))
    read_only = _json(Client(), "POST", f"/api/claims/{claim.pk}/decision", decision, _bearer(reviewer))
    unseen = _json(Client(), "POST", f"/api/claims/{claim.pk}/decision", decision, _bearer(other_county_admin))
    missing = _json(Client(), "POST", f"/api/claims/{claim.pk + 1000}/decision", decision,
                    _bearer(other_county_admin))
    # then
    assert (own.status_code, read_only.status_code) == (403, 403)
    assert read_only.json() == {"code": "activity_invalid", "detail": "只有本人所在组织的管理员可以认定学时"}
    assert unseen.status_code == missing.status_code == 404
    assert _as_if_missing(unseen, str(claim.pk), str(claim.pk + 1000)) == _body(missing)
    assert LearningClaim.objects.get().status == ClaimStatus.PENDING


def test_only_an_account_with_a_person_claims(tree: Tree, county_admin: User, auditor: User) -> None:
    body = {"title": "代报", "start_date": "2025-07-01", "hours": 2}
    refused = _json(Client(), "POST", "/api/claims", body, _bearer(county_admin))
    separated = _json(Client(), "POST", "/api/claims", body, _bearer(auditor))
    assert (refused.status_code, refused.json()["detail"]) == (403, "只有关联了人员的账户可以申报学时")
    assert separated.status_code == 404
    assert Client().get("/api/claims", **_bearer(auditor)).status_code == 404
    assert not LearningClaim.objects.exists()


# -- 学时认定规则 ----------------------------------------------------------------------------------
def test_credit_rules_list_every_kind(tree: Tree, member: User) -> None:
    # given
    services.credit_rule_set(actor=None, scope=whole_tree_scope(), kind="培训", hours_per_session=Decimal(6),
                             hours_per_day=Decimal(8))
    # when
    response = Client().get("/api/credit-rules", **_bearer(member))
    # then
    rules = {rule["kind"]: rule for rule in response.json()}
    assert response.status_code == 200
    assert len(rules) == 12
    assert (rules["培训"]["hours_per_session"], rules["培训"]["hours_per_day"], rules["培训"]["updated_by"]) == (
        6.0, 8.0, "系统")
    assert rules["讲党课"] == {"kind": "讲党课", "hours_per_session": 0.0, "hours_per_day": None, "updated_at": None,
                            "updated_by": ""}


def test_province_admin_sets_a_credit_rule(tree: Tree, province_admin: User) -> None:
    # when
    response = _json(Client(), "PUT", "/api/credit-rules/讲党课", {"hours_per_session": "2.5"}, _bearer(province_admin))
    # then
    assert response.status_code == 200
    assert (response.json()["hours_per_session"], response.json()["updated_by"]) == (2.5, "province_admin")
    assert CreditRule.objects.get(kind="讲党课").hours_per_session == Decimal("2.5")
    assert AuditEvent.objects.filter(action="credit_rule_set", object_id="讲党课").exists()


def test_bad_credit_rules_are_422_in_chinese(tree: Tree, province_admin: User) -> None:
    # given
    client, headers = Client(), _bearer(province_admin)
    # when
    too_long = _json(client, "PUT", "/api/credit-rules/培训", {"hours_per_session": 6, "hours_per_day": 30}, headers)
    unknown = _json(client, "PUT", "/api/credit-rules/开会", {"hours_per_session": 2}, headers)
    # then
    assert too_long.status_code == unknown.status_code == 422
    assert too_long.json() == {"code": "activity_invalid", "detail": "学时应在 0 到 24 之间",
                               "field": "hours_per_session"}
    assert unknown.json() == {"code": "activity_invalid", "detail": "活动类型“开会”无效", "field": "kind"}
    assert not CreditRule.objects.exists()


def test_credit_rules_are_set_by_the_province_only(
    tree: Tree, city_admin: User, reviewer: User, system_admin: User
) -> None:
    body = {"hours_per_session": 2}
    city = _json(Client(), "PUT", "/api/credit-rules/讲党课", body, _bearer(city_admin))
    read_only = _json(Client(), "PUT", "/api/credit-rules/讲党课", body, _bearer(reviewer))
    separated = _json(Client(), "PUT", "/api/credit-rules/讲党课", body, _bearer(system_admin))
    assert city.json() == {"code": "credit_rule_forbidden", "detail": "学时认定规则由省级组织管理员设置"}
    assert (city.status_code, read_only.status_code, separated.status_code) == (403, 403, 404)
    assert Client().get("/api/credit-rules", **_bearer(system_admin)).status_code == 404
    assert not CreditRule.objects.exists()


# -- sign-in ---------------------------------------------------------------------------------------
def test_session_and_token_both_work_and_anonymous_gets_401(tree: Tree, county_admin: User) -> None:
    _activity("A1", "K1")
    assert Client().get("/api/activities/A1", **_bearer(county_admin)).status_code == 200
    assert signed_in_client(county_admin).get("/api/activities/A1").status_code == 200
    anonymous = Client().get("/api/activities/A1")
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "unauthenticated")
    assert Client().get("/api/credit-rules", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_openapi_schema_lists_the_learning_operations(tree: Tree, member: User) -> None:
    paths = signed_in_client(member).get("/api/openapi.json").json()["paths"]
    assert set(paths["/api/activities/{number}"]) == {"get", "put"}
    assert "/api/people/{number}/archive" in paths
    assert "/api/claims/{claim_id}/decision" in paths
    assert "/api/credit-rules/{kind}" in paths
