"""主题教育: saving a campaign, counting activities toward it, and the roll-up by organization."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.conftest import Tree
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.accounts.services import api_token_create
from xuexi.errors import DomainError, ErrorKind, Forbidden, NotFound
from xuexi.learning import selectors, services
from xuexi.learning.access import access_campaign
from xuexi.learning.models import Activity, Campaign, CampaignRequirement
from xuexi.learning.services import ActivityInput, AttendanceInput, CampaignInput
from xuexi.orgs.models import Organization

REQUIREMENTS = (("县级", "中心组集体学习", 2), ("基层", "讲党课", 1))


def _campaign(code: str = "ZT1", organizer: str = "P", covers: str = "P", **overrides: Any) -> CampaignInput:
    values: dict[str, Any] = {
        "code": code, "name": "解放思想主题教育", "start_date": date(2025, 3, 1), "end_date": date(2025, 12, 31),
        "organizer_code": organizer, "covers_code": covers, "themes": ["解放思想", "改革创新"],
        "requirements": REQUIREMENTS,
    }
    values.update(overrides)
    return CampaignInput(**values)


def _activity(number: str, host: str, kind: str, day: date, campaign: str = "ZT1") -> None:
    services.activity_save(actor=None, scope=whole_tree_scope(), data=ActivityInput(
        number=number, kind=kind, host_code=host, start_date=day, topic=f"{kind}{number}"))
    if campaign:
        services.campaign_activity_add(actor=None, scope=whole_tree_scope(), campaign_code=campaign,
                                       activity_number=number)


def _attend(number: str, people: Sequence[str], status: str = "出席") -> None:
    services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number=number,
                               entries=[AttendanceInput(p, status=status) for p in people])


@pytest.fixture
def campaign_world(tree: Tree) -> Campaign:
    """The province's campaign asks each county for 2 central-group sessions and each branch for 1 party lecture.

    K1 holds 2 (met), K2 holds 1 (not met), K3 holds 2 of which only 1 counts toward the campaign (not met),
    B1 gives its lecture (met); T1 (乡级) and the province and cities owe nothing.
    """
    factories.make_person(tree.sibling_county, number="SIB1", name="孙党员")
    campaign = services.campaign_save(actor=None, scope=whole_tree_scope(), data=_campaign())
    _activity("K1-1", "K1", "中心组集体学习", date(2025, 3, 10))
    _activity("K1-2", "K1", "中心组集体学习", date(2025, 4, 10))
    _activity("K2-1", "K2", "中心组集体学习", date(2025, 5, 10))
    _activity("K3-1", "K3", "中心组集体学习", date(2025, 5, 11))
    _activity("K3-2", "K3", "中心组集体学习", date(2025, 6, 11), campaign="")
    _activity("B1-1", "B1", "讲党课", date(2025, 6, 1))
    _activity("T1-1", "T1", "专题学习", date(2025, 6, 2))
    _attend("K1-1", ["CAD1", "MEM1"])
    _attend("B1-1", ["MEM1"])
    _attend("K2-1", ["SIB1"], status="请假")
    _attend("K3-1", ["MEM2"], status="缺席")
    _attend("K3-2", ["MEM2"])  # present, but not at one of the campaign's activities
    return campaign


def _rows(progress: selectors.CampaignProgress) -> dict[str, tuple[str, int, int, int, int]]:
    return {r.code: (r.scope_label, r.owing, r.met, r.participants, r.members) for r in progress.rows}


def test_roll_up_for_the_province_counts_met_not_met_and_participation(
    campaign_world: Campaign, django_assert_max_num_queries: Any
) -> None:
    # given
    scope = whole_tree_scope()
    province = campaign_world.covers
    # when
    with django_assert_max_num_queries(6):
        progress = selectors.campaign_progress(scope=scope, campaign=campaign_world, under=province)
    # then
    assert _rows(progress) == {
        "P": ("本级", 0, 0, 0, 0),
        "C1": ("含下级", 3, 2, 2, 3),  # K1 and B1 met, K2 not; CAD1 and MEM1 of CAD1, MEM1, SIB1
        "C2": ("含下级", 1, 0, 0, 1),  # K3 counted one session toward the campaign; MEM2 was absent at it
    }
    assert (progress.total.owing, progress.total.met, progress.total.participants, progress.total.members) == (
        4, 2, 2, 4)
    assert progress.total.met_share == 0.5
    assert progress.total.participation_share == 0.5


def test_drilling_down_to_the_city_splits_its_counties(campaign_world: Campaign) -> None:
    # given
    city = Organization.objects.get(code="C1")
    # when
    progress = selectors.campaign_progress(scope=whole_tree_scope(), campaign=campaign_world, under=city)
    # then
    assert _rows(progress) == {
        "C1": ("本级", 0, 0, 0, 0),
        "K1": ("含下级", 2, 2, 2, 2),
        "K2": ("含下级", 1, 0, 0, 1),  # SIB1 was on leave
    }
    assert progress.rows[1].met_share == 1.0
    assert progress.rows[2].met_share == 0.0


def test_a_county_sees_the_provinces_campaign_from_its_own_subtree(
    campaign_world: Campaign, county_admin: User
) -> None:
    # given
    scope = Scope.for_user(county_admin)
    # when
    listed = list(selectors.campaign_list(scope=scope))
    under = selectors.campaign_default_under(scope=scope, campaign=campaign_world)
    progress = selectors.campaign_progress(scope=scope, campaign=campaign_world, under=under)
    # then
    assert [c.code for c in listed] == ["ZT1"]
    assert under.code == "K1"
    assert _rows(progress) == {"K1": ("本级", 1, 1, 1, 1), "T1": ("含下级", 1, 1, 1, 1)}
    assert [a.number for a in selectors.campaign_activities(scope=scope, campaign=campaign_world)] == [
        "T1-1", "B1-1", "K1-2", "K1-1"]


def test_county_admin_gets_404_for_another_countys_roll_up(campaign_world: Campaign, county_admin: User) -> None:
    scope = Scope.for_user(county_admin)
    other = Organization.objects.get(code="K3")
    with pytest.raises(NotFound):
        selectors.campaign_progress(scope=scope, campaign=campaign_world, under=other)


def test_a_campaign_of_another_city_is_missing_to_the_county(tree: Tree, county_admin: User) -> None:
    # given
    services.campaign_save(actor=None, scope=whole_tree_scope(), data=_campaign("ZT2", organizer="C2", covers="K3"))
    scope = Scope.for_user(county_admin)
    # when
    listed = list(selectors.campaign_list(scope=scope))
    # then
    assert listed == []
    with pytest.raises(NotFound) as caught:
        access_campaign(scope=scope, code="ZT2")
    assert caught.value.detail == "主题教育编号 ZT2 不存在"


def test_members_and_separated_accounts_see_no_campaigns(tree: Tree, member: User, auditor: User) -> None:
    services.campaign_save(actor=None, scope=whole_tree_scope(), data=_campaign())
    assert list(selectors.campaign_list(scope=Scope.for_user(member))) == []
    with pytest.raises(NotFound):
        selectors.campaign_list(scope=Scope.for_user(auditor))


def test_city_admin_launches_a_campaign_for_a_county_and_it_is_audited(tree: Tree, city_admin: User) -> None:
    # given
    scope = Scope.for_user(city_admin)
    # when
    campaign = services.campaign_save(actor=city_admin, scope=scope, create=True,
                                      data=_campaign("ZT3", organizer="C1", covers="K1",
                                                     themes=[" 学理论 ", "学政策", "", "学理论"]))
    # then
    assert (campaign.organizer.code, campaign.covers.code) == ("C1", "K1")
    assert campaign.themes == ["学理论", "学政策"]
    assert sorted(campaign.requirements.values_list("level", "kind", "minimum")) == sorted(REQUIREMENTS)
    event = AuditEvent.objects.get(action="campaign_create", object_id="ZT3")
    assert event.actor_name == "city_admin"


def test_requirements_are_replaced_as_a_set(tree: Tree) -> None:
    # given
    services.campaign_save(actor=None, scope=whole_tree_scope(), data=_campaign())
    # when
    services.campaign_save(actor=None, scope=whole_tree_scope(), data=_campaign(
        name="改名", requirements=[("市级", "务虚研讨", 1)]))
    # then
    assert list(CampaignRequirement.objects.values_list("level", "kind", "minimum")) == [("市级", "务虚研讨", 1)]
    assert Campaign.objects.get(code="ZT1").name == "改名"
    assert AuditEvent.objects.filter(action="campaign_update", object_id="ZT1").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": date(2025, 2, 1)}, "end_date", "结束日期“2025-02-01”无效，应为不早于开始日期 2025-03-01"),
        ({"name": " "}, "name", "名称"),
        ({"requirements": [("州级", "讲党课", 1)]}, "requirements", "组织层级“州级”无效，应为省级、市级"),
        ({"requirements": [("县级", "开会", 1)]}, "requirements", "活动类型“开会”无效"),
        ({"requirements": [("县级", "讲党课", 0)]}, "requirements", "县级 讲党课 的至少次数“0”无效"),
        ({"requirements": [("县级", "讲党课", 1), ("县级", "讲党课", 2)]}, "requirements", "出现了两次"),
        ({"covers_code": "C2", "organizer_code": "C1"}, "covers_code", "不在组织单位 C1"),
        ({"organizer_code": "NOPE"}, "organizer_code", "组织编码 NOPE 不存在"),
    ],
)
def test_invalid_campaign_is_refused_naming_field_and_value(
    tree: Tree, overrides: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(DomainError) as caught:
        services.campaign_save(actor=None, scope=whole_tree_scope(), data=_campaign(**overrides))
    assert caught.value.field == field
    assert message in caught.value.detail
    assert not Campaign.objects.exists()


def test_county_admin_cannot_organize_for_the_city(tree: Tree, county_admin: User) -> None:
    with pytest.raises(NotFound) as caught:
        services.campaign_save(actor=county_admin, scope=Scope.for_user(county_admin),
                               data=_campaign(organizer="C1", covers="K1"))
    assert caught.value.field == "organizer_code"
    assert not Campaign.objects.exists()


def test_reviewer_may_not_launch_a_campaign(tree: Tree, reviewer: User) -> None:
    with pytest.raises(Forbidden):
        services.campaign_save(actor=reviewer, scope=Scope.for_user(reviewer), data=_campaign())
    assert not Campaign.objects.exists()


def test_county_admin_reads_but_may_not_change_the_provinces_campaign(tree: Tree, county_admin: User) -> None:
    # given
    services.campaign_save(actor=None, scope=whole_tree_scope(), data=_campaign())
    scope = Scope.for_user(county_admin)
    # when
    with pytest.raises(Forbidden):
        services.campaign_save(actor=county_admin, scope=scope, data=_campaign(organizer="K1", covers="K1"))
    # then
    assert access_campaign(scope=scope, code="ZT1").organizer.code == "P"


def test_a_code_in_use_is_refused_when_creating(tree: Tree) -> None:
    services.campaign_save(actor=None, scope=whole_tree_scope(), data=_campaign())
    with pytest.raises(DomainError) as caught:
        services.campaign_save(actor=None, scope=whole_tree_scope(), data=_campaign(name="另一个"), create=True)
    assert caught.value.kind == ErrorKind.CONFLICT
    assert Campaign.objects.get(code="ZT1").name == "解放思想主题教育"


def test_an_activity_outside_the_subtree_or_the_period_is_refused(tree: Tree, city_admin: User) -> None:
    # given
    scope = Scope.for_user(city_admin)
    services.campaign_save(actor=city_admin, scope=scope, data=_campaign(organizer="C1", covers="K1"))
    _activity("K2-1", "K2", "中心组集体学习", date(2025, 5, 10), campaign="")
    _activity("K1-0", "K1", "中心组集体学习", date(2025, 1, 10), campaign="")
    # when
    with pytest.raises(DomainError) as outside:
        services.campaign_activity_add(actor=city_admin, scope=scope, campaign_code="ZT1", activity_number="K2-1")
    with pytest.raises(DomainError) as early:
        services.campaign_activity_add(actor=city_admin, scope=scope, campaign_code="ZT1", activity_number="K1-0")
    # then
    assert "中共丁县委员会不在主题教育" in outside.value.detail
    assert "2025-01-10 不在主题教育期间 2025-03-01 至 2025-12-31 之内" in early.value.detail
    assert not Activity.objects.filter(campaign__isnull=False).exists()


def test_adding_and_removing_an_activity_is_audited(tree: Tree, county_admin: User) -> None:
    # given
    services.campaign_save(actor=None, scope=whole_tree_scope(), data=_campaign())
    _activity("K1-1", "K1", "中心组集体学习", date(2025, 3, 10), campaign="")
    scope = Scope.for_user(county_admin)
    # when
    services.campaign_activity_add(actor=county_admin, scope=scope, campaign_code="ZT1", activity_number="K1-1")
    added = Activity.objects.get(number="K1-1").campaign_id
    services.campaign_activity_remove(actor=county_admin, scope=scope, campaign_code="ZT1", activity_number="K1-1")
    # then
    assert added == Campaign.objects.get(code="ZT1").pk
    assert Activity.objects.get(number="K1-1").campaign_id is None
    assert list(AuditEvent.objects.filter(object_id="K1-1", action__startswith="campaign_activity")
                .values_list("action", flat=True).order_by("seq")) == ["campaign_activity_add",
                                                                       "campaign_activity_remove"]


def test_reviewer_may_not_add_an_activity(campaign_world: Campaign, reviewer: User) -> None:
    _activity("K1-9", "K1", "中心组集体学习", date(2025, 7, 10), campaign="")
    with pytest.raises(Forbidden):
        services.campaign_activity_add(actor=reviewer, scope=Scope.for_user(reviewer), campaign_code="ZT1",
                                       activity_number="K1-9")
    assert Activity.objects.get(number="K1-9").campaign_id is None


def test_shrinking_the_period_past_an_activity_is_refused(campaign_world: Campaign) -> None:
    with pytest.raises(DomainError) as caught:
        services.campaign_save(actor=None, scope=whole_tree_scope(), data=_campaign(start_date=date(2025, 4, 1)))
    assert "K1-1" in caught.value.detail
    assert Campaign.objects.get(code="ZT1").start_date == date(2025, 3, 1)


# -- the API ------------------------------------------------------------------------------------------------
def _bearer(user: User) -> dict[str, str]:
    _, secret = api_token_create(user=user, name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": "ZT9", "name": "学习型党组织建设", "start_date": "2025-03-01", "end_date": "2025-12-31",
        "organizer_code": "C1", "covers_code": "C1", "themes": ["学理论", "学政策"],
        "requirements": [{"level": "县级", "kind": "中心组集体学习", "minimum": 1}],
    }
    body.update(overrides)
    return body


def test_api_creates_updates_and_rolls_up_a_campaign(tree: Tree, city_admin: User) -> None:
    # given
    client, headers = Client(), _bearer(city_admin)
    # when
    created = client.post("/api/campaigns", _body(), content_type="application/json", **headers)
    _activity("K1-1", "K1", "中心组集体学习", date(2025, 3, 10), campaign="")
    added = client.post("/api/campaigns/ZT9/activities", {"activity_number": "K1-1"},
                        content_type="application/json", **headers)
    body = _body(name="改名后的主题教育")
    del body["code"]
    updated = client.put("/api/campaigns/ZT9", body, content_type="application/json", **headers)
    progress = client.get("/api/campaigns/ZT9/progress", **headers).json()
    # then
    assert created.status_code == 201
    assert created.json()["requirements"] == [{"level": "县级", "kind": "中心组集体学习", "minimum": 1}]
    assert added.json() == {"campaign_code": "ZT9", "activity_number": "K1-1"}
    assert updated.json()["name"] == "改名后的主题教育"
    assert progress["org_code"] == "C1"
    assert [(r["org_code"], r["owing"], r["met"]) for r in progress["rows"]] == [("C1", 0, 0), ("K1", 1, 1),
                                                                                 ("K2", 1, 0)]
    assert progress["total"]["met_share"] == 0.5
    assert [c["code"] for c in client.get("/api/campaigns", **headers).json()["items"]] == ["ZT9"]


def test_api_refuses_with_the_field_and_value(tree: Tree, city_admin: User) -> None:
    response = Client().post("/api/campaigns", _body(requirements=[{"level": "州级", "kind": "讲党课"}]),
                             content_type="application/json", **_bearer(city_admin))
    assert response.status_code == 422
    assert response.json() == {"code": "campaign_invalid", "field": "requirements",
                               "detail": "组织层级“州级”无效，应为省级、市级、县级、乡级、基层 之一"}


def test_api_answers_404_outside_and_403_to_a_reviewer(tree: Tree, other_county_admin: User, reviewer: User) -> None:
    # given
    services.campaign_save(actor=None, scope=whole_tree_scope(), data=_campaign("ZT9", organizer="C1", covers="C1"))
    body = _body()
    del body["code"]
    # when
    hidden = Client().get("/api/campaigns/ZT9", **_bearer(other_county_admin))
    read_only = Client().put("/api/campaigns/ZT9", body, content_type="application/json", **_bearer(reviewer))
    # then
    assert hidden.status_code == 404
    assert hidden.json() == {"code": "campaign_not_found", "detail": "主题教育编号 ZT9 不存在"}
    assert read_only.status_code == 403
    assert Campaign.objects.get(code="ZT9").name == "解放思想主题教育"
