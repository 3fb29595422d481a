"""单位类别模板, the central group's presence, and lower levels only ever stricter than the levels above."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.conftest import Tree, signed_in_client
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.accounts.services import api_token_create
from xuexi.errors import DomainError, ErrorKind
from xuexi.learning import services as learning
from xuexi.learning.services import ActivityInput, AttendanceInput
from xuexi.norms import selectors, services, standings
from xuexi.norms.engine import evaluate
from xuexi.norms.models import RuleVersion, Standing
from xuexi.norms.services import RuleTerms
from xuexi.people import services as people

TRAINING = "member-training-annual"
OFF_JOB = "leader-off-job-training-110h"
PRESENCE = RuleTerms(name="中心组成员出席率", source="测试：中心组集体学习成员出席率不低于80%", subject_type="org",
                     metric="presence", period="quarter", required=Decimal(80), kinds=["中心组集体学习"],
                     central_group_only=True)
LEADER_HOURS = RuleTerms(name="领导干部脱产培训", source="丙县县委：县处级领导干部脱产培训每年不少于120学时",
                         subject_type="person", metric="hours", period="year", required=Decimal(120),
                         kinds=["培训"], off_job_only=True, person_ranks=["县处级"],
                         person_leader_posts=["县市区领导"])


def _scope(user: User) -> Scope:
    return Scope.for_user(user)


def _required(rule: str, year: int = 2026) -> dict[str, Decimal]:
    return {row.subject: row.required for row in evaluate(year=year, as_of=date(year, 6, 1), rule_codes=[rule]).rows}


# -- 单位类别模板 -------------------------------------------------------------------------------------------
def test_a_sector_template_sets_what_its_units_must_reach_from_a_date(tree: Tree, province_admin: User) -> None:
    # when: the province asks rural units (T1, B1 are 农村) for 2 trainings a year from 2026
    changed = services.sector_template_save(actor=province_admin, scope=_scope(province_admin), sector="农村",
                                            effective_from=date(2026, 1, 1), figures={TRAINING: Decimal(2)})
    # then: a new version of the rule; rural units are held to 2, the rest still to 1, and 2025 as it was
    assert changed == [TRAINING]
    assert RuleVersion.objects.filter(rule__code=TRAINING).count() == 2
    required = _required(TRAINING)
    assert (required["T1"], required["B1"], required["K1"], required["P"]) == (2, 2, 1, 1)
    assert set(_required(TRAINING, 2025).values()) == {1}
    assert AuditEvent.objects.filter(action="sector_template_save", object_id="农村").exists()
    # and the template reads the same
    rural = selectors.sector_templates(scope=_scope(province_admin), on=date(2026, 6, 1), sectors=["农村"])[0]
    cell = next(c for c in rural.cells if c.view.rule.code == TRAINING)
    assert (cell.applies, cell.figure, cell.own) == (True, 2, True)


def test_a_blank_figure_follows_the_rules_general_one_again(tree: Tree, province_admin: User) -> None:
    # given
    scope = _scope(province_admin)
    services.sector_template_save(actor=province_admin, scope=scope, sector="农村", effective_from=date(2026, 1, 1),
                                  figures={TRAINING: Decimal(2)})
    # when: the same figure again changes nothing; a blank one from July goes back to the general figure
    assert services.sector_template_save(actor=province_admin, scope=scope, sector="农村",
                                         effective_from=date(2026, 1, 1), figures={TRAINING: Decimal(2)}) == []
    services.sector_template_save(actor=province_admin, scope=scope, sector="农村", effective_from=date(2026, 7, 1),
                                  figures={TRAINING: None})
    # then
    latest = RuleVersion.objects.filter(rule__code=TRAINING).latest("effective_from")
    assert (latest.effective_from, latest.sector_required) == (date(2026, 7, 1), {})


def test_kept_standings_follow_a_template(tree: Tree, province_admin: User) -> None:
    # given
    standings.ensure_year(2026)
    # when
    services.sector_template_save(actor=province_admin, scope=_scope(province_admin), sector="农村",
                                  effective_from=date(2026, 1, 1), figures={TRAINING: Decimal(3)})
    # then
    held = Standing.objects.filter(year=2026, rule__code=TRAINING, org__code="B1").get()
    assert held.required_centi == 300


def test_only_the_rules_managers_change_a_template_and_nothing_is_half_stored(tree: Tree, province_admin: User,
                                                                               county_admin: User) -> None:
    # a county administrator may not change the province's figures
    with pytest.raises(DomainError) as refused:
        services.sector_template_save(actor=county_admin, scope=_scope(county_admin), sector="农村",
                                      effective_from=date(2026, 1, 1), figures={TRAINING: Decimal(2)})
    assert refused.value.kind == ErrorKind.FORBIDDEN
    # a figure for a sector the rule does not bind is refused, and the figure before it is not kept
    services.rule_create(actor=province_admin, scope=_scope(province_admin), code="rural-only", owner_code="P",
                         effective_from=date(2020, 1, 1),
                         terms=dataclasses.replace(PRESENCE, name="农村出席率", org_sectors=["农村"]))
    with pytest.raises(DomainError, match="规则 rural-only 不适用于国有企业"):
        services.sector_template_save(actor=province_admin, scope=_scope(province_admin), sector="国有企业",
                                      effective_from=date(2026, 1, 1),
                                      figures={TRAINING: Decimal(5), "rural-only": Decimal(60)})
    assert RuleVersion.objects.filter(rule__code=TRAINING).count() == 1
    with pytest.raises(DomainError, match="单位类别“乡镇”无效"):
        services.sector_template_save(actor=province_admin, scope=_scope(province_admin), sector="乡镇",
                                      effective_from=date(2026, 1, 1), figures={TRAINING: Decimal(5)})


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"sector_required": {"乡镇": Decimal(1)}}, "sector_required", "单位类别“乡镇”无效"),
    ({"sector_required": {"农村": Decimal(-1)}}, "sector_required", "农村的要求 -1 无效"),
    ({"org_sectors": ["农村"], "sector_required": {"社区": Decimal(1)}}, "sector_required",
     "单位类别“社区”不在本规则适用的单位类别（农村）之内"),
    ({"metric": "presence", "required": Decimal(120)}, "required", "出席率要求 120% 无效"),
    ({"metric": "presence", "sector_required": {"农村": Decimal(101)}}, "sector_required",
     "农村的出席率要求 101% 无效"),
])
def test_template_figures_are_checked_by_field(tree: Tree, province_admin: User, changes: dict[str, Any],
                                               field: str, message: str) -> None:
    terms = dataclasses.replace(PRESENCE, **{"metric": "hosted", **changes})
    with pytest.raises(DomainError) as refused:
        services.rule_create(actor=province_admin, scope=_scope(province_admin), code="bad", owner_code="P",
                             effective_from=date(2025, 1, 1), terms=terms)
    assert refused.value.field == field and message in refused.value.detail


def test_the_templates_page_shows_each_sectors_figures_and_saves_one(tree: Tree, province_admin: User,
                                                                     county_admin: User) -> None:
    # given
    client = signed_in_client(province_admin)
    # when: the province opens the 农村 template and sets 2 trainings a year
    form = client.get("/rules/sectors/?edit=农村").content.decode()
    assert f'name="figure_{TRAINING}"' in form
    saved = client.post("/rules/sectors/", {"sector": "农村", "effective_from": date.today().replace(month=1, day=1)
                                            .isoformat(), f"figure_{TRAINING}": "2"})
    # then
    assert saved.status_code == 302
    page = client.get("/rules/sectors/").content.decode()
    row = page[page.index(f'data-rule="{TRAINING}"'):]
    row = row[:row.index("</tr>")]
    figures = re.findall(r'data-testid="figure">([^<]*)<', row)
    assert figures[3] == "2 次"  # the columns follow Sector: 党政机关、事业单位、国有企业、农村…
    assert figures[0] == "1 次"
    # a wrong figure is named on its field and nothing is stored
    bad = client.post("/rules/sectors/", {"sector": "农村", "effective_from": "2027-01-01",
                                          f"figure_{TRAINING}": "-3"}).content.decode()
    assert "不小于 0" in bad and RuleVersion.objects.filter(rule__code=TRAINING,
                                                              effective_from=date(2027, 1, 1)).count() == 0
    # a county administrator sees the templates but has no form for the province's rules
    county = signed_in_client(county_admin)
    assert 'data-testid="template-form"' not in county.get("/rules/sectors/?edit=农村").content.decode()
    assert county.post("/rules/sectors/", {"sector": "农村", "effective_from": "2027-01-01",
                                           f"figure_{TRAINING}": "5"}).status_code == 403
    # and an organization's page names the template it follows
    assert "适用农村模板" in county.get("/orgs/B1/").content.decode()


def test_the_api_reads_and_writes_a_rules_sector_figures(tree: Tree, province_admin: User) -> None:
    _, secret = api_token_create(user=province_admin, name="测试")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    changed = Client().post(f"/api/rules/{TRAINING}/versions", data=json.dumps(
        {"effective_from": "2026-01-01", "sector_required": {"农村": 2, "社区": "1.5"}}),
        content_type="application/json", **auth)
    assert changed.status_code == 201, changed.content
    detail = Client().get(f"/api/rules/{TRAINING}", **auth).json()
    assert detail["versions"][0]["sector_required"] == {"农村": 2, "社区": 1.5}


# -- 只能从严 ----------------------------------------------------------------------------------------------
def test_a_lower_level_may_be_stricter_than_the_province_never_looser(tree: Tree, county_admin: User) -> None:
    scope = _scope(county_admin)
    # looser than the province's 110 hours for the same leaders: refused, nothing stored
    with pytest.raises(DomainError) as looser:
        services.rule_create(actor=county_admin, scope=scope, code="k1-hours", owner_code="K1",
                             effective_from=date(2026, 1, 1), terms=dataclasses.replace(LEADER_HOURS,
                                                                                        required=Decimal(80)))
    assert looser.value.field == "required"
    assert looser.value.detail == ("要求 80 低于上级规则“县处级以上领导干部脱产培训每年不少于 110 学时”"
                                   "（leader-off-job-training-110h）的 110；下级只能从严，不能放宽")
    # stricter: accepted; a rule for people the province's rule does not bind (科级) is free
    services.rule_create(actor=county_admin, scope=scope, code="k1-hours", owner_code="K1",
                         effective_from=date(2026, 1, 1), terms=LEADER_HOURS)
    services.rule_create(actor=county_admin, scope=scope, code="k1-section-hours", owner_code="K1",
                         effective_from=date(2026, 1, 1),
                         terms=dataclasses.replace(LEADER_HOURS, required=Decimal(40), person_ranks=["乡科级"],
                                                   person_leader_posts=[]))
    # and its own rule may not later be lowered below the province's
    with pytest.raises(DomainError, match="下级只能从严，不能放宽"):
        services.rule_version_change(actor=county_admin, scope=scope, code="k1-hours", effective_from=date(2027, 1, 1),
                                     changes={"required": Decimal(100)})


def test_never_looser_holds_sector_by_sector(tree: Tree, province_admin: User, county_admin: User) -> None:
    # given: the province asks rural units for 3 trainings a year, the rest for 1
    services.sector_template_save(actor=province_admin, scope=_scope(province_admin), sector="农村",
                                  effective_from=date(2026, 1, 1), figures={TRAINING: Decimal(3)})
    county = RuleTerms(name="本县组织每年培训", source="丙县县委：每个党组织每年培训不少于2次", subject_type="org",
                       metric="hosted", period="year", required=Decimal(2), kinds=["培训"])
    # when: the county asks 2 of all its units, rural ones included: looser for 农村
    with pytest.raises(DomainError) as refused:
        services.rule_create(actor=county_admin, scope=_scope(county_admin), code="k1-training", owner_code="K1",
                             effective_from=date(2026, 1, 1), terms=county)
    assert refused.value.field == "sector_required" and "对农村要求 2 低于上级规则" in refused.value.detail
    # then: with 3 for its rural units it is accepted
    services.rule_create(actor=county_admin, scope=_scope(county_admin), code="k1-training", owner_code="K1",
                         effective_from=date(2026, 1, 1),
                         terms=dataclasses.replace(county, sector_required={"农村": Decimal(3)}))


# -- 中心组成员出席率 ------------------------------------------------------------------------------------------
def _session(number: str, start: date, *present: str, absent: tuple[str, ...] = ()) -> None:
    scope = whole_tree_scope()
    learning.activity_save(actor=None, scope=scope, data=ActivityInput(
        number=number, kind="中心组集体学习", host_code="K1", start_date=start, topic=f"第{number}次集体学习"))
    entries = [AttendanceInput(p) for p in present] + [AttendanceInput(p, status="缺席") for p in absent]
    learning.attendance_record(actor=None, scope=scope, activity_number=number, entries=entries)


def test_presence_is_the_share_of_the_central_group_present_kept_and_explained(tree: Tree,
                                                                              province_admin: User) -> None:
    # given: K1's central group of two (CAD1 and a deputy), a presence rule of 80 % a quarter, the year held
    factories.make_person(tree.county, number="CAD2", name="张副书记", rank="县处级", leader_post="县市区领导",
                          central_group_member=True)
    services.rule_create(actor=province_admin, scope=_scope(province_admin), code="presence", owner_code="P",
                         effective_from=date(2020, 1, 1), terms=PRESENCE)
    standings.ensure_year(2026)
    # when: two sessions in Q1, the deputy absent from one; a member of another organization present counts nothing
    _session("S1", date(2026, 1, 20), "CAD1", "CAD2", "MEM1")
    _session("S2", date(2026, 3, 5), "CAD1", absent=("CAD2",))

    def held() -> tuple[int, int]:
        row = Standing.objects.get(year=2026, rule__code="presence", org__code="K1", quarter=1)
        return row.actual_centi, row.required_centi

    # then: 3 present of 2 × 2 = 75 %, short of 80, kept without a rebuild
    assert held() == (7500, 8000)
    rows = evaluate(year=2026, as_of=date(2026, 4, 1), rule_codes=["presence"]).rows
    q1 = next(r for r in rows if r.subject == "K1" and r.period == "2026-Q1")
    assert (q1.actual, q1.status) == (75, "missed")
    # and explained session by session
    explained = selectors.subject_compliance(scope=_scope(province_admin), subject=tree.county, year=2026,
                                             as_of=date(2026, 4, 1))
    evidence = next(e for e in explained if e.row.rule == "presence" and e.row.period == "2026-Q1").evidence
    assert [(e.reference, e.amount, e.reason) for e in evidence] == [
        ("S1", 2, "中心组成员 2 人，出席 2 人"), ("S2", 1, "中心组成员 2 人，出席 1 人")]
    # when: the deputy leaves the central group, the share is of one member: 100 %
    people.person_update(actor=None, scope=whole_tree_scope(), number="CAD2", changes={"central_group_member": False})
    assert held() == (10000, 8000)
    # and when the absence is corrected to presence with the deputy back, 100 % as well
    people.person_update(actor=None, scope=whole_tree_scope(), number="CAD2", changes={"central_group_member": True})
    assert held() == (7500, 8000)
    learning.attendance_record(actor=None, scope=whole_tree_scope(), activity_number="S2",
                               entries=[AttendanceInput("CAD2")])
    assert held() == (10000, 8000)


def test_presence_rounds_down_and_is_nothing_without_sessions(tree: Tree, province_admin: User) -> None:
    # given: a central group of three, one session with two present: 66.666… %
    for number in ("CAD2", "CAD3"):
        factories.make_person(tree.county, number=number, name=number, central_group_member=True)
    services.rule_create(actor=province_admin, scope=_scope(province_admin), code="presence", owner_code="P",
                         effective_from=date(2020, 1, 1), terms=dataclasses.replace(PRESENCE,
                                                                                    required=Decimal("66.67")))
    _session("S1", date(2026, 1, 20), "CAD1", "CAD2")
    rows = {(r.subject, r.period): r for r in evaluate(year=2026, as_of=date(2026, 7, 1), rule_codes=["presence"]).rows}
    # then: 66.66, never rounded up to the requirement; a quarter with no session is 0
    assert (rows[("K1", "2026-Q1")].actual, rows[("K1", "2026-Q1")].status) == (Decimal("66.66"), "missed")
    assert rows[("K1", "2026-Q2")].actual == 0
