"""Who may change the norms, what a change looks like, and exemptions within the granter's scope."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import Tree
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind
from xuexi.norms import services
from xuexi.norms.engine import evaluate
from xuexi.norms.models import Exemption, Rule, RuleVersion
from xuexi.norms.services import RuleTerms

OFF_JOB = "leader-off-job-training-110h"
LECTURES = RuleTerms(name="支部每季度讲党课", source="丙县县委：每个支部每季度至少讲一次党课", subject_type="org",
                     metric="hosted", period="quarter", required=Decimal(1), kinds=["讲党课"], org_levels=["基层"])


def _scope(user: User) -> Scope:
    return Scope.for_user(user)


def _terms_of(code: str, **changes: object) -> RuleTerms:
    version = RuleVersion.objects.filter(rule__code=code).latest("effective_from")
    fields = {f.name: getattr(version, f.name) for f in dataclasses.fields(RuleTerms)}
    return RuleTerms(**{**fields, **changes})  # type: ignore[arg-type]


def test_the_province_raises_a_threshold_from_a_date(tree: Tree, province_admin: User) -> None:
    services.rule_version_save(actor=province_admin, scope=_scope(province_admin), code=OFF_JOB,
                               effective_from=date(2026, 1, 1), terms=_terms_of(OFF_JOB, required=Decimal(120)))
    before = evaluate(year=2025, as_of=date(2026, 2, 1), rule_codes=[OFF_JOB]).rows[0]
    after = evaluate(year=2026, as_of=date(2026, 2, 1), rule_codes=[OFF_JOB]).rows[0]
    assert (before.required, after.required) == (110, 120)
    assert AuditEvent.objects.filter(action="rule_version_create", object_id=OFF_JOB).exists()


def test_a_county_may_not_loosen_or_change_a_province_rule(tree: Tree, county_admin: User) -> None:
    with pytest.raises(DomainError) as refused:
        services.rule_version_save(actor=county_admin, scope=_scope(county_admin), code=OFF_JOB,
                                   effective_from=date(2026, 1, 1), terms=_terms_of(OFF_JOB, required=Decimal(50)))
    assert refused.value.kind == ErrorKind.FORBIDDEN
    assert RuleVersion.objects.filter(rule__code=OFF_JOB).count() == 1


def test_a_county_adds_a_rule_for_its_own_subtree_only(tree: Tree, county_admin: User) -> None:
    rule = services.rule_create(actor=county_admin, scope=_scope(county_admin), code="k1-lectures", owner_code="K1",
                                effective_from=date(2025, 1, 1), terms=LECTURES)
    assert rule.owner == tree.county
    assert {row.subject for row in evaluate(year=2025, as_of=date(2025, 5, 1), rule_codes=["k1-lectures"]).rows} == {
        "B1"}
    with pytest.raises(DomainError) as outside:
        services.rule_create(actor=county_admin, scope=_scope(county_admin), code="c1-lectures", owner_code="C1",
                             effective_from=date(2025, 1, 1), terms=LECTURES)
    assert outside.value.kind == ErrorKind.NOT_FOUND
    assert not Rule.objects.filter(code="c1-lectures").exists()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"metric": "hours"}, "metric", "对象为组织时，指标应为"),
    ({"kinds": ["讲课"]}, "kinds", "活动类型“讲课”无效"),
    ({"period": "window", "window_years": 1}, "window_years", "累计年数 1 无效，应为 2 到 10"),
    ({"source": " "}, "source", "请填写制度原文"),
    ({"org_levels": ["村级"]}, "org_levels", "组织层级“村级”无效"),
])
def test_a_rule_that_cannot_be_counted_is_refused_by_field(tree: Tree, province_admin: User, changes: dict,
                                                           field: str, message: str) -> None:
    with pytest.raises(DomainError) as refused:
        services.rule_create(actor=province_admin, scope=_scope(province_admin), code="bad", owner_code="P",
                             effective_from=date(2025, 1, 1), terms=dataclasses.replace(LECTURES, **changes))
    assert refused.value.field == field and message in refused.value.detail
    assert not Rule.objects.filter(code="bad").exists()


def test_an_exemption_within_the_granters_scope(tree: Tree, county_admin: User) -> None:
    services.exemption_grant(actor=county_admin, scope=_scope(county_admin), rule_code=OFF_JOB, period="2025",
                             reason="2025 年 10 月新任", person_number="CAD1")
    assert evaluate(year=2025, as_of=date(2026, 2, 1), rule_codes=[OFF_JOB]).rows[0].status == "exempt"
    assert Exemption.objects.get().granted_by == "county_admin"
    with pytest.raises(DomainError) as outside:
        services.exemption_grant(actor=county_admin, scope=_scope(county_admin), rule_code=OFF_JOB, period="2025",
                                 reason="x", person_number="MEM2")
    assert outside.value.kind == ErrorKind.NOT_FOUND
    with pytest.raises(DomainError, match="应写作 2025、2025-Q1 或 2021-2025"):
        services.exemption_grant(actor=county_admin, scope=_scope(county_admin), rule_code=OFF_JOB, period="今年",
                                 reason="x", person_number="CAD1")
