"""The norms API: rules and their versions, compliance rows of a subtree or a subject, exemptions; by token."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import Tree
from xuexi.accounts import services as account_services
from xuexi.accounts.models import AuditEvent, GrantRole, User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.accounts.services import api_token_create
from xuexi.learning import services as learning_services
from xuexi.learning.services import ActivityInput, AttendanceInput
from xuexi.norms import services
from xuexi.norms.models import Exemption, Rule, RuleVersion
from xuexi.norms.services import RuleTerms

OFF_JOB = "leader-off-job-training-110h"
SEEDED = 6
LECTURES = RuleTerms(name="支部每年讲党课", source="丙县县委：每个支部每年至少讲一次党课", subject_type="org",
                     metric="hosted", period="year", required=Decimal(1), kinds=["讲党课"], org_levels=["基层"])
ROW_KEYS = {"rule", "subject_type", "subject", "subject_name", "org", "period", "required", "actual", "status",
            "at_risk", "deadline"}


def _bearer(user: User) -> dict[str, str]:
    _, secret = api_token_create(user=user, name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _send(user: User, method: str, path: str, body: object | None = None) -> Any:
    data = "" if body is None else json.dumps(body)
    return Client().generic(method, path, data=data, content_type="application/json", **_bearer(user))


def _get(user: User, path: str) -> Any:
    return Client().get(path, **_bearer(user))


def _body(response: Any) -> str:
    return json.dumps(response.json(), ensure_ascii=False, sort_keys=True)


def _k1_rule(user: User) -> Rule:
    return services.rule_create(actor=user, scope=Scope.for_user(user), code="k1-lectures", owner_code="K1",
                                effective_from=date(2025, 1, 1), terms=LECTURES)


def _off_job_training(hours: int) -> None:
    """CAD1 present at one off-job training of K1 in March 2025."""
    learning_services.activity_save(actor=None, scope=whole_tree_scope(), data=ActivityInput(
        number="F1", kind="培训", host_code="K1", start_date=date(2025, 3, 3), end_date=date(2025, 3, 7),
        topic="县处级干部脱产培训", hours=Decimal(hours), training_type="理论培训", off_job=True))
    learning_services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number="F1",
                                        entries=[AttendanceInput("CAD1")])


# -- rules -----------------------------------------------------------------------------------------
def test_rules_list_the_provinces_and_the_lower_rules_that_meet_the_scope(
        tree: Tree, county_admin: User, city_admin: User, other_county_admin: User, member: User) -> None:
    # given
    _k1_rule(county_admin)
    # when
    listed = {u.username: _get(u, "/api/rules?page_size=100").json()
              for u in (county_admin, city_admin, other_county_admin, member)}
    # then
    assert {name: body["count"] for name, body in listed.items()} == {
        "county_admin": SEEDED + 1, "city_admin": SEEDED + 1, "other_county_admin": SEEDED, "member": SEEDED}
    off_job = next(r for r in listed["county_admin"]["items"] if r["code"] == OFF_JOB)
    assert (off_job["owner_code"], off_job["owner_name"], off_job["enabled"], off_job["may_edit"]) == (
        None, "省级", True, False)
    assert off_job["current"]["required"] == 110 and isinstance(off_job["current"]["required"], int)
    own = next(r for r in listed["county_admin"]["items"] if r["code"] == "k1-lectures")
    assert (own["owner_code"], own["owner_name"], own["may_edit"]) == ("K1", "中共丙县委员会", True)
    assert [r["may_edit"] for r in listed["city_admin"]["items"] if r["code"] == "k1-lectures"] == [True]


def test_a_lower_rule_outside_the_scope_is_missing_alike(tree: Tree, county_admin: User,
                                                         other_county_admin: User) -> None:
    # given
    _k1_rule(county_admin)
    # when
    hidden = _get(other_county_admin, "/api/rules/k1-lectures")
    missing = _get(other_county_admin, "/api/rules/zz-none")
    # then
    assert hidden.status_code == missing.status_code == 404
    assert _body(hidden).replace("k1-lectures", "zz-none") == _body(missing)
    assert missing.json() == {"code": "rule_not_found", "detail": "规则编码 zz-none 不存在"}


def test_the_province_adds_a_version_from_a_date_changing_only_the_threshold(tree: Tree,
                                                                            province_admin: User) -> None:
    # given
    path = f"/api/rules/{OFF_JOB}/versions"
    # when
    response = _send(province_admin, "POST", path, {"effective_from": "2099-01-01", "required": "120"})
    # then
    assert response.status_code == 201
    body = response.json()
    assert [v["effective_from"] for v in body["versions"]] == ["2099-01-01", "2010-01-01"]
    newest, seeded = body["versions"]
    assert (newest["required"], seeded["required"], body["current"]["required"]) == (120, 110, 110)
    assert newest["person_ranks"] == seeded["person_ranks"] and newest["off_job_only"] is True
    assert newest["changed_by"] == "province_admin"
    assert AuditEvent.objects.filter(action="rule_version_create", object_id=OFF_JOB, actor_name="province_admin")\
        .exists()


def test_the_province_switches_a_rule_off_from_a_date(tree: Tree, province_admin: User) -> None:
    # given: a rule in force
    path = f"/api/rules/{OFF_JOB}/versions"
    # when
    response = _send(province_admin, "POST", path, {"effective_from": "2020-01-01", "enabled": False})
    # then
    assert response.status_code == 201
    assert (response.json()["enabled"], response.json()["current"]["effective_from"]) == (False, "2020-01-01")
    listed = _get(province_admin, f"/api/compliance?year=2025&rule={OFF_JOB}").json()
    assert listed["count"] == 0


def test_county_admin_editing_a_province_rule_gets_403_and_nothing_changes(tree: Tree, county_admin: User,
                                                                          reviewer: User) -> None:
    # given
    body = {"effective_from": "2026-01-01", "required": "50"}
    # when
    county = _send(county_admin, "POST", f"/api/rules/{OFF_JOB}/versions", body)
    review = _send(reviewer, "POST", f"/api/rules/{OFF_JOB}/versions", body)
    # then
    assert county.status_code == review.status_code == 403
    assert county.json()["code"] == "rule_forbidden"
    assert RuleVersion.objects.filter(rule__code=OFF_JOB).count() == 1
    refusals = AuditEvent.objects.filter(action="access_refused", object_repr=f"/api/rules/{OFF_JOB}/versions")
    assert [json.loads(e.detail)["code"] for e in refusals] == ["rule_forbidden", "rule_forbidden"]


def test_a_county_creates_its_own_rule_and_may_change_it(tree: Tree, county_admin: User) -> None:
    # given
    body = {"code": "k1-lectures", "owner_code": "K1", "effective_from": "2025-01-01", "name": "支部每年讲党课",
            "source": "丙县县委：每个支部每年至少讲一次党课", "subject_type": "org", "metric": "hosted",
            "period": "year", "required": 1, "kinds": ["讲党课"], "org_levels": ["基层"]}
    # when
    created = _send(county_admin, "POST", "/api/rules", body)
    changed = _send(county_admin, "POST", "/api/rules/k1-lectures/versions",
                    {"effective_from": "2026-01-01", "required": "2.5"})
    # then
    assert created.status_code == 201
    assert (created.json()["owner_code"], created.json()["may_edit"]) == ("K1", True)
    assert changed.status_code == 201
    assert changed.json()["versions"][0]["required"] == 2.5
    assert AuditEvent.objects.filter(action="rule_create", object_id="k1-lectures").exists()


def test_rule_creation_is_refused_by_scope_and_by_field(tree: Tree, county_admin: User, reviewer: User) -> None:
    # given
    body = {"code": "k3-lectures", "owner_code": "K3", "effective_from": "2025-01-01", "name": "讲党课",
            "source": "每年讲党课", "subject_type": "org", "metric": "hosted", "period": "year", "required": 1}
    # when
    outside = _send(county_admin, "POST", "/api/rules", body)
    missing = _send(county_admin, "POST", "/api/rules", {**body, "owner_code": "ZZ9"})
    read_only = _send(reviewer, "POST", "/api/rules", {**body, "owner_code": "P"})
    bad_metric = _send(county_admin, "POST", "/api/rules", {**body, "owner_code": "K1", "metric": "hours"})
    taken = _send(county_admin, "POST", "/api/rules", {**body, "owner_code": "K1", "code": OFF_JOB})
    unknown_field = _send(county_admin, "POST", "/api/rules", {**body, "owner_code": "K1", "colour": "红"})
    # then
    assert outside.status_code == missing.status_code == 404
    assert _body(outside).replace("K3", "ZZ9") == _body(missing)
    assert read_only.status_code == 403
    assert bad_metric.status_code == 422
    assert bad_metric.json() == {"code": "rule_invalid", "field": "metric",
                                 "detail": "对象为组织时，指标应为主办活动次数、中心组成员出席率、"
                                           "按时报送年度学习总结和计划之一"}
    assert (taken.status_code, taken.json()["detail"]) == (409, f"规则编码 {OFF_JOB} 已被使用")
    assert (unknown_field.status_code, unknown_field.json()["detail"]) == (422, "colour：不接受此字段")
    assert Rule.objects.count() == SEEDED


# -- compliance ------------------------------------------------------------------------------------
def test_compliance_rows_of_the_viewers_subtree_with_numbers_as_numbers(tree: Tree, county_admin: User) -> None:
    # given: CAD1 had 120 off-job hours in 2025
    _off_job_training(120)
    # when
    body = _get(county_admin, "/api/compliance?year=2025&as_of=2026-02-01&page_size=100").json()
    # then: K1's subtree only (K1, T1, B1; CAD1, MEM1)
    # K1, T1 and B1 each: the annual report besides their other rows
    assert (body["year"], body["as_of"], body["count"]) == (2025, "2026-02-01", 12)
    assert {r["subject"] for r in body["items"]} == {"K1", "T1", "B1", "CAD1"}
    off_job = next(r for r in body["items"] if r["rule"] == OFF_JOB)
    assert set(off_job) == ROW_KEYS
    assert off_job == {"rule": OFF_JOB, "subject_type": "person", "subject": "CAD1", "subject_name": "李书记",
                       "org": "K1", "period": "2025", "required": 110, "actual": 120, "status": "met",
                       "at_risk": False, "deadline": "2025-12-31"}
    assert body["skipped"] == []


def test_compliance_filters_by_org_rule_and_status_and_pages(tree: Tree, province_admin: User) -> None:
    # given
    _off_job_training(40)
    base = "/api/compliance?year=2025&as_of=2025-06-30"
    # when
    whole = _get(province_admin, f"{base}&page_size=500").json()
    under_c2 = _get(province_admin, f"{base}&org=C2&page_size=500").json()
    one_rule = _get(province_admin, f"{base}&rule={OFF_JOB}").json()
    in_progress = _get(province_admin, f"{base}&status=in_progress&page_size=500").json()
    second_page = _get(province_admin, f"{base}&page=2&page_size=5").json()
    # then
    # central groups of P, C1, K1; every organization; CAD1 twice; the annual report of all but P
    assert whole["count"] == 3 * 4 + 8 + 2 + 7
    assert {r["subject"] for r in under_c2["items"]} == {"C2", "K3"}
    assert [(r["subject"], r["actual"], r["status"], r["at_risk"]) for r in one_rule["items"]] == [
        ("CAD1", 40, "in_progress", True)]
    assert in_progress["count"] == len([r for r in whole["items"] if r["status"] == "in_progress"])
    assert (second_page["page"], second_page["page_size"]) == (2, 5)
    assert second_page["items"] == whole["items"][5:10]


def test_compliance_defaults_to_every_outermost_organization_of_the_scope(tree: Tree, county_admin: User,
                                                                          cadre: User) -> None:
    # given: the county administrator also administers K3, in another city
    account_services.grant_add(actor=None, user=county_admin, org_id=tree.other_county.pk, role=GrantRole.ORG_ADMIN)
    # when
    both = _get(county_admin, "/api/compliance?year=2025&rule=member-training-annual").json()
    nobody = _get(cadre, "/api/compliance?year=2025").json()
    # then
    assert [r["subject"] for r in both["items"]] == ["B1", "K1", "K3", "T1"]
    assert (nobody["count"], nobody["items"]) == (0, [])


def test_compliance_refusals(tree: Tree, county_admin: User, auditor: User) -> None:
    # given
    base = "/api/compliance?year=2025"
    # when
    outside = _get(county_admin, f"{base}&org=K3")
    missing = _get(county_admin, f"{base}&org=ZZ9")
    separated = _get(auditor, base)
    bad_status = _get(county_admin, f"{base}&status=done")
    bad_year = _get(county_admin, "/api/compliance?year=1800")
    unknown_rule = _get(county_admin, f"{base}&rule=zz-none")
    # then
    assert outside.status_code == missing.status_code == separated.status_code == 404
    assert _body(outside).replace("K3", "ZZ9") == _body(missing)
    assert bad_status.status_code == 422
    assert bad_status.json() == {"code": "compliance_status_invalid", "field": "status",
                                 "detail": "状态“done”无效，应为 met、missed、in_progress、exempt 之一"}
    assert (bad_year.status_code, bad_year.json()["detail"]) == (422, "year：应不小于 2000")
    assert (unknown_rule.status_code, unknown_rule.json()["code"]) == (404, "rule_not_found")


def test_a_subjects_rows_come_with_their_evidence(tree: Tree, county_admin: User, cadre: User) -> None:
    # given
    _off_job_training(40)
    # when
    person = _get(cadre, "/api/compliance/people/CAD1?year=2025").json()
    org = _get(county_admin, "/api/compliance/orgs/K1?year=2025").json()
    # then
    assert (person["subject"], person["subject_name"], person["org"]) == ("CAD1", "李书记", "K1")
    off_job = next(r for r in person["rows"] if r["rule"] == OFF_JOB)
    assert off_job["source"] == "县处级以上党政领导干部参加脱产培训每年一般不少于110学时"
    assert (off_job["version_from"], off_job["period_start"], off_job["period_end"]) == (
        "2010-01-01", "2025-01-01", "2025-12-31")
    assert [(e["reference"], e["amount"], e["counted"]) for e in off_job["evidence"]] == [("F1", 40, True)]
    training = next(r for r in org["rows"] if r["rule"] == "member-training-annual")
    assert (training["actual"], training["status"], training["evidence"][0]["reference"]) == (1, "met", "F1")
    assert len([r for r in org["rows"] if r["rule"] == "central-group-study-quarterly"]) == 4


def test_a_subject_outside_the_scope_is_missing_alike(tree: Tree, county_admin: User, member: User) -> None:
    # when
    other_person = _get(county_admin, "/api/compliance/people/MEM2")
    no_person = _get(county_admin, "/api/compliance/people/ZZ9")
    other_org = _get(county_admin, "/api/compliance/orgs/K3")
    no_org = _get(county_admin, "/api/compliance/orgs/ZZ9")
    colleague = _get(member, "/api/compliance/people/CAD1")
    # then
    assert _body(other_person).replace("MEM2", "ZZ9") == _body(no_person)
    assert _body(other_org).replace("K3", "ZZ9") == _body(no_org)
    assert (other_person.status_code, other_org.status_code, colleague.status_code) == (404, 404, 404)


def _queries(client: Client, path: str, headers: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, **headers).status_code == 200
    return len(queries)


def test_lists_take_as_many_queries_for_many_rows_as_for_few(tree: Tree, province_admin: User) -> None:
    # given
    client, headers = Client(), _bearer(province_admin)
    rules, rows = "/api/rules?page_size=100", "/api/compliance?year=2025&page_size=500&rule=member-training-annual"
    _get(province_admin, rows)  # the year's standings are built on first asking, once
    few = (_queries(client, rules, headers), _queries(client, rows, headers))
    # when: more rules of lower levels, more organizations and leaders, each with their rows
    for n in range(5):
        services.rule_create(actor=province_admin, scope=Scope.for_user(province_admin), code=f"lower-rule-{n}",
                             owner_code=f"K{n % 3 + 1}", effective_from=date(2025, 1, 1), terms=LECTURES)
        org = factories.make_org(f"B9{n}", parent=tree.township, has_central_group=True)
        factories.make_person(org, rank="县处级", leader_post="县市区领导")
    _off_job_training(40)
    # then: the rule list prefetches its versions; a rule's rows are counted in grouped queries
    assert _get(province_admin, rows).json()["count"] == 8 + 5
    assert (_queries(client, rules, headers), _queries(client, rows, headers)) == few


# -- exemptions ------------------------------------------------------------------------------------
def test_an_exemption_granted_and_revoked_changes_the_row(tree: Tree, county_admin: User) -> None:
    # given: CAD1 missed the 110 hours of 2025
    rows = f"/api/compliance?year=2025&as_of=2026-02-01&rule={OFF_JOB}"
    assert [r["status"] for r in _get(county_admin, rows).json()["items"]] == ["missed"]
    # when
    granted = _send(county_admin, "POST", "/api/exemptions",
                    {"rule": OFF_JOB, "period": "2025", "reason": "2025 年 10 月新任", "person_number": "CAD1"})
    exempt = [r["status"] for r in _get(county_admin, rows).json()["items"]]
    listed = _get(county_admin, f"/api/exemptions?rule={OFF_JOB}&period=2025").json()
    revoked = _send(county_admin, "DELETE", f"/api/exemptions/{granted.json()['id']}")
    # then
    assert granted.status_code == 201
    assert {k: v for k, v in granted.json().items() if k not in ("id", "granted_at")} == {
        "rule": OFF_JOB, "subject_type": "person", "subject": "CAD1", "subject_name": "李书记", "org": "K1",
        "period": "2025", "reason": "2025 年 10 月新任", "granted_by": "county_admin"}
    assert exempt == ["exempt"]
    assert [e["subject"] for e in listed["items"]] == ["CAD1"]
    assert (revoked.status_code, revoked.content) == (204, b"")
    assert [r["status"] for r in _get(county_admin, rows).json()["items"]] == ["missed"]
    assert AuditEvent.objects.filter(action="exemption_grant", object_id=OFF_JOB, object_repr="CAD1").exists()
    revoke = AuditEvent.objects.get(action="exemption_revoke")
    assert (revoke.object_id, revoke.object_repr, json.loads(revoke.detail)["period"]) == (OFF_JOB, "CAD1", "2025")


def test_exemptions_keep_to_the_scope(tree: Tree, county_admin: User, other_county_admin: User, reviewer: User,
                                      cadre: User) -> None:
    # given: an exemption for CAD1 (K1)
    exemption = services.exemption_grant(actor=county_admin, scope=Scope.for_user(county_admin), rule_code=OFF_JOB,
                                         period="2025", reason="新任", person_number="CAD1")
    # when
    other_list = _get(other_county_admin, "/api/exemptions").json()
    own_list = _get(cadre, "/api/exemptions").json()
    hidden = _send(other_county_admin, "DELETE", f"/api/exemptions/{exemption.pk}")
    missing = _send(other_county_admin, "DELETE", "/api/exemptions/999999")
    read_only = _send(reviewer, "DELETE", f"/api/exemptions/{exemption.pk}")
    oneself = _send(cadre, "DELETE", f"/api/exemptions/{exemption.pk}")
    grant_outside = _send(county_admin, "POST", "/api/exemptions",
                          {"rule": OFF_JOB, "period": "2025", "reason": "x", "person_number": "MEM2"})
    grant_bad_period = _send(county_admin, "POST", "/api/exemptions",
                             {"rule": OFF_JOB, "period": "今年", "reason": "x", "person_number": "CAD1"})
    # then
    assert (other_list["count"], own_list["count"]) == (0, 1)
    assert hidden.status_code == missing.status_code == 404
    assert _body(hidden).replace(str(exemption.pk), "999999") == _body(missing)
    assert (read_only.status_code, oneself.status_code) == (403, 403)
    assert read_only.json()["detail"] == "您对人员 CAD1 只有查看权限，不能撤销其豁免"
    assert (grant_outside.status_code, grant_outside.json()["detail"]) == (404, "人员编号 MEM2 不存在")
    assert grant_bad_period.status_code == 422
    assert grant_bad_period.json() == {"code": "rule_invalid", "field": "period",
                                       "detail": "周期“今年”无效，应写作 2025、2025-Q1 或 2021-2025"}
    assert Exemption.objects.count() == 1


@pytest.mark.parametrize("path", ["/api/rules", f"/api/rules/{OFF_JOB}", "/api/exemptions",
                                  "/api/compliance/people/CAD1"])
def test_separated_accounts_see_no_norms(tree: Tree, system_admin: User, path: str) -> None:
    assert _get(system_admin, path).status_code == 404
