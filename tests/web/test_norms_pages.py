"""制度要求 pages: the rules with their terms and versions, who may change them, and exemptions."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import Tree, signed_in_client
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope
from xuexi.norms import services
from xuexi.norms.models import Exemption, Rule, RuleVersion
from xuexi.norms.services import RuleTerms

URL = "/rules/"
OFF_JOB = "leader-off-job-training-110h"
EXEMPTIONS = f"/rules/{OFF_JOB}/exemptions/"
LECTURES = RuleTerms(name="支部每年讲党课", source="丙县县委：每个支部每年至少讲一次党课", subject_type="org",
                     metric="hosted", period="year", required=Decimal(1), kinds=["讲党课"], org_levels=["基层"])
NEW_RULE = {"code": "k1-lectures", "owner_code": "K1", "effective_from": "2025-01-01", "name": "支部每年讲党课",
            "source": "丙县县委：每个支部每年至少讲一次党课", "subject_type": "org", "metric": "hosted",
            "kinds": ["讲党课"], "period": "year", "window_years": "1", "required": "1", "org_levels": ["基层"]}


def _field_errors(html: str) -> list[str]:
    return re.findall(r'data-testid="field-error">([^<]*)<', html)


def _row_of(html: str, code: str) -> str:
    start = html.index(f'data-rule="{code}"')
    return html[start:html.index("</tr>", start)]


def _k1_rule(user: User) -> Rule:
    return services.rule_create(actor=user, scope=Scope.for_user(user), code="k1-lectures", owner_code="K1",
                                effective_from=date(2025, 1, 1), terms=LECTURES)


# -- the rules -------------------------------------------------------------------------------------
def test_every_rule_shows_its_source_terms_owner_and_versions(tree: Tree, province_admin: User) -> None:
    # when
    html = signed_in_client(province_admin).get(URL).content.decode()
    # then
    assert html.count('data-rule="') == 6
    row = _row_of(html, OFF_JOB)
    assert "县处级以上党政领导干部参加脱产培训每年一般不少于110学时" in row
    for term in ("人员", "认定学时", "培训", "每年", "不少于 110 学时", "职级：省部级、厅局级、县处级",
                 "领导职务：省级领导、市州领导、县市区领导、部门领导", "只计脱产培训", "启用", "省级",
                 "1 个版本", "2010-01-01 起：不少于 110 学时，启用（现行）"):
        assert term in row, term
    assert "只对设有中心组的组织" in _row_of(html, "central-group-study-quarterly")
    assert html.count("保存新版本") == 6
    assert 'data-testid="rule-create"' in html
    assert f'href="{URL}">制度要求</a>' in html


def test_the_province_adds_a_version_from_a_date(tree: Tree, province_admin: User) -> None:
    # given
    client = signed_in_client(province_admin)
    # when
    response = client.post(f"/rules/{OFF_JOB}/versions/", {"effective_from": "2099-01-01", "required": "120",
                                                           "enabled": "on", "name": "脱产培训每年不少于 120 学时"})
    # then
    assert (response.status_code, response["Location"]) == (302, URL)
    newest = RuleVersion.objects.filter(rule__code=OFF_JOB).latest("effective_from")
    assert (newest.effective_from, newest.required, newest.enabled, newest.person_ranks) == (
        date(2099, 1, 1), Decimal(120), True, ["省部级", "厅局级", "县处级"])
    assert AuditEvent.objects.filter(action="rule_version_create", object_id=OFF_JOB).exists()
    row = _row_of(client.get(URL).content.decode(), OFF_JOB)
    assert "2099-01-01 起：不少于 120 学时，启用（将施行）" in row
    assert "不少于 110 学时" in row and "启用" in row


def test_a_version_without_enabled_switches_the_rule_off(tree: Tree, province_admin: User) -> None:
    # given
    client = signed_in_client(province_admin)
    # when
    client.post(f"/rules/{OFF_JOB}/versions/", {"effective_from": "2020-01-01", "required": "110",
                                               "name": "县处级以上领导干部脱产培训（停用）"})
    # then
    row = _row_of(client.get(URL).content.decode(), OFF_JOB)
    assert '<span class="badge text-bg-secondary">停用</span>' in row
    assert "2020-01-01 起：不少于 110 学时，停用（现行）" in row


def test_bad_version_values_are_named_with_their_value_and_change_nothing(tree: Tree, province_admin: User) -> None:
    # given
    client = signed_in_client(province_admin)
    # when
    not_a_number = client.post(f"/rules/{OFF_JOB}/versions/",
                               {"effective_from": "2026-01-01", "required": "很多", "name": "x"})
    not_a_date = client.post(f"/rules/{OFF_JOB}/versions/", {"effective_from": "明年", "required": "1", "name": "x"})
    # then
    assert not_a_number.status_code == not_a_date.status_code == 200
    assert _field_errors(not_a_number.content.decode()) == ["要求“很多”无效：应为不小于 0、至多两位小数的数"]
    assert _field_errors(not_a_date.content.decode()) == ["生效日期“明年”无效：应为日期，如 2026-01-01"]
    assert RuleVersion.objects.filter(rule__code=OFF_JOB).count() == 1


def test_county_admin_may_not_change_a_province_rule_but_may_change_its_own(tree: Tree, county_admin: User,
                                                                           reviewer: User) -> None:
    # given
    _k1_rule(county_admin)
    client = signed_in_client(county_admin)
    body = {"effective_from": "2026-01-01", "required": "50", "enabled": "on", "name": "放宽"}
    # when
    html = client.get(URL).content.decode()
    refused = client.post(f"/rules/{OFF_JOB}/versions/", body)
    by_reviewer = signed_in_client(reviewer).post("/rules/k1-lectures/versions/", body)
    own = client.post("/rules/k1-lectures/versions/", {**body, "required": "2"})
    # then
    assert "保存新版本" not in _row_of(html, OFF_JOB)
    assert "保存新版本" in _row_of(html, "k1-lectures") and "中共丙县委员会" in _row_of(html, "k1-lectures")
    assert refused.status_code == by_reviewer.status_code == 403
    assert "规则 leader-off-job-training-110h 由省级组织的管理员修改，您只能查看" in refused.content.decode()
    assert RuleVersion.objects.filter(rule__code=OFF_JOB).count() == 1
    assert own.status_code == 302
    assert RuleVersion.objects.get(rule__code="k1-lectures", effective_from=date(2026, 1, 1)).required == 2


def test_the_rules_page_takes_as_many_queries_for_many_rules_as_for_few(
        tree: Tree, province_admin: User, django_assert_num_queries: Any) -> None:
    # given
    client = signed_in_client(province_admin)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(5):
        services.rule_create(actor=province_admin, scope=Scope.for_user(province_admin), code=f"lower-rule-{n}",
                             owner_code=f"K{n % 3 + 1}", effective_from=date(2025, 1, 1), terms=LECTURES)
    # then
    with django_assert_num_queries(len(few)):
        assert client.get(URL).content.decode().count('data-rule="') == 6 + 5


def test_a_lower_rule_outside_the_scope_is_missing_alike(tree: Tree, county_admin: User,
                                                         other_county_admin: User) -> None:
    # given
    _k1_rule(county_admin)
    client = signed_in_client(other_county_admin)
    # when
    html = client.get(URL).content.decode()
    hidden = client.get("/rules/k1-lectures/exemptions/")
    missing = client.get("/rules/zz-none/exemptions/")
    # then
    assert "k1-lectures" not in html
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_a_county_adds_a_rule_for_its_subtree(tree: Tree, county_admin: User) -> None:
    # given
    client = signed_in_client(county_admin)
    # when
    response = client.post(URL, NEW_RULE)
    # then
    assert (response.status_code, response["Location"]) == (302, URL)
    rule = Rule.objects.get(code="k1-lectures")
    assert rule.owner == tree.county
    version = rule.versions.get()
    assert (version.kinds, version.org_levels, version.required, version.changed_by) == (
        ["讲党课"], ["基层"], Decimal(1), "county_admin")
    assert AuditEvent.objects.filter(action="rule_create", object_id="k1-lectures").exists()
    page = client.get(URL).content.decode()
    assert "已增设规则 k1-lectures“支部每年讲党课”，自 2025-01-01 起生效。" in page
    assert "组织层级：基层" in _row_of(page, "k1-lectures")


def test_rule_creation_errors_name_field_and_value(tree: Tree, county_admin: User, reviewer: User,
                                                  member: User) -> None:
    # given
    client = signed_in_client(county_admin)

    def errors(**changes: Any) -> list[str]:
        response = client.post(URL, {**NEW_RULE, **changes})
        assert response.status_code == 200
        return _field_errors(response.content.decode())

    # then
    assert errors(owner_code="K3") == ["组织编码 K3 不存在"]
    assert errors(owner_code="K3") == [e.replace("ZZ9", "K3") for e in errors(owner_code="ZZ9")]
    assert errors(metric="hours") == ["对象为组织时，指标应为主办活动次数、中心组成员出席率、"
                                      "按时报送年度学习总结和计划之一"]
    assert errors(code="中文") == ["规则编码“中文”无效，应为不超过 64 个字符的英文字母、数字和连字符"]
    assert errors(code=OFF_JOB) == [f"规则编码 {OFF_JOB} 已被使用"]
    assert errors(required="-1") == ["要求“-1”无效：应为不小于 0、至多两位小数的数"]
    assert errors(source="") == ["请填写制度原文：应为制度原文"]
    assert errors(period="window", window_years="1") == ["累计年数 1 无效，应为 2 到 10"]
    assert errors(org_levels=["村级"])[0].startswith("组织层级“村级”无效：应为省级、")
    assert signed_in_client(reviewer).post(URL, NEW_RULE).status_code == 403
    assert signed_in_client(member).post(URL, NEW_RULE).status_code == 403
    assert not Rule.objects.filter(code="k1-lectures").exists()


# -- exemptions ------------------------------------------------------------------------------------
def test_an_exemption_granted_and_revoked_changes_the_row(tree: Tree, county_admin: User) -> None:
    # given: CAD1 had no off-job training in the year before the current one
    client = signed_in_client(county_admin)
    year = date.today().year - 1
    compliance = f"/people/CAD1/compliance/?year={year}"

    def status() -> str:
        html = client.get(compliance).content.decode()
        row = html[html.index("<strong>县处级以上领导干部脱产培训每年不少于 110 学时</strong>"):]
        return re.search(r'data-testid="row-status">([^<]*)<', row).group(1)  # type: ignore[union-attr]

    assert status() == "未达标"
    # when
    granted = client.post(EXEMPTIONS, {"subject_type": "person", "subject": "CAD1", "period": str(year),
                                       "reason": "年中新任"}, follow=True)
    page = granted.content.decode()
    exempt = status()
    exemption = Exemption.objects.get()
    revoked = client.post(f"{EXEMPTIONS}{exemption.pk}/revoke/", follow=True)
    # then
    assert granted.redirect_chain == [(EXEMPTIONS, 302)]
    assert exempt == "豁免"
    assert f"已豁免 CAD1 在 {year} 的“县处级以上领导干部脱产培训每年不少于 110 学时”。" in page
    assert f'data-exemption="{exemption.pk}"' in page and "年中新任" in page and "撤销" in page
    assert revoked.redirect_chain == [(EXEMPTIONS, 302)]
    assert f"已撤销 CAD1 在 {year} 的豁免。" in revoked.content.decode()
    assert status() == "未达标"
    assert not Exemption.objects.exists()
    assert AuditEvent.objects.filter(action="exemption_grant", object_repr="CAD1").exists()
    assert AuditEvent.objects.filter(action="exemption_revoke", object_repr="CAD1").exists()


def test_exemption_errors_and_refusals(tree: Tree, county_admin: User, reviewer: User, cadre: User) -> None:
    # given: an exemption of CAD1 granted by the county
    exemption = services.exemption_grant(actor=county_admin, scope=Scope.for_user(county_admin), rule_code=OFF_JOB,
                                         period="2025", reason="新任", person_number="CAD1")
    client = signed_in_client(county_admin)
    grant = {"subject_type": "person", "subject": "CAD1", "period": "2025", "reason": "病休"}

    def errors(**changes: str) -> list[str]:
        response = client.post(EXEMPTIONS, {**grant, **changes})
        assert response.status_code == 200
        return _field_errors(response.content.decode())

    # then
    assert errors(subject="MEM2") == ["人员编号 MEM2 不存在"]
    assert errors(subject_type="org", subject="K3") == ["组织编码 K3 不存在"]
    assert errors(period="今年") == ["周期“今年”无效，应写作 2025、2025-Q1 或 2021-2025"]
    assert errors(reason="") == ["请填写理由：应为不超过 300 个字的理由"]
    assert signed_in_client(reviewer).post(EXEMPTIONS, grant).status_code == 403
    reviewer_page = signed_in_client(reviewer).get(EXEMPTIONS).content.decode()
    assert "新任" in reviewer_page and "revoke" not in reviewer_page
    assert signed_in_client(reviewer).post(f"{EXEMPTIONS}{exemption.pk}/revoke/").status_code == 403
    assert signed_in_client(cadre).post(f"{EXEMPTIONS}{exemption.pk}/revoke/").status_code == 403
    assert client.post(f"/rules/member-training-annual/exemptions/{exemption.pk}/revoke/").status_code == 404
    assert Exemption.objects.get().reason == "新任"


def test_the_nav_link_is_for_accounts_with_business_data(tree: Tree, member: User, auditor: User) -> None:
    assert f'href="{URL}">制度要求</a>' in signed_in_client(member).get("/").content.decode()
    assert "制度要求" not in signed_in_client(auditor).get("/").content.decode()
    assert signed_in_client(auditor).get(URL).status_code == 404
