"""学习计划 and 个人自学计划: saving them within the scope, and each measured against the record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests.conftest import Tree
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.accounts.services import api_token_create
from xuexi.errors import DomainError, Forbidden, NotFound
from xuexi.learning import selectors, services
from xuexi.learning.models import PersonalPlan, StudyPlan, StudyPlanItem
from xuexi.learning.services import ActivityInput, AttendanceInput, PlanItemInput

ITEMS = [
    PlanItemInput(1, "中心组集体学习", "学习贯彻党的二十大精神", ["中国特色社会主义理论体系"]),
    PlanItemInput(1, "中心组集体学习", "学习党章党规"),
    PlanItemInput(2, "专题学习", "乡村振兴专题", ["中央和省委决策部署"]),
    PlanItemInput(3, "讲党课", "作风建设专题"),
]


def _activity(number: str, host: str, kind: str, day: date, topic: str = "", hours: Decimal | None = None) -> None:
    services.activity_save(actor=None, scope=whole_tree_scope(), data=ActivityInput(
        number=number, kind=kind, host_code=host, start_date=day, topic=topic or f"{kind}{number}", hours=hours))


def _plan(scope: Scope, actor: User | None = None, **overrides: Any) -> StudyPlan:
    values: dict[str, Any] = {"org_code": "K1", "year": 2025, "title": "2025年度丙县县委中心组学习计划",
                              "items": ITEMS, "reading_list": ["《习近平谈治国理政》", " ", "《中国共产党章程》"]}
    values.update(overrides)
    return services.study_plan_save(actor=actor, scope=scope, **values)


def test_plan_against_record_counts_each_item_once_per_activity(tree: Tree, county_admin: User) -> None:
    """Q1 asks for two sessions and K1 held one; Q2's study was held; Q3's lecture was held by T1, not K1."""
    # given
    plan = _plan(Scope.for_user(county_admin), county_admin)
    _activity("K1-1", "K1", "中心组集体学习", date(2025, 2, 20))
    _activity("K1-0", "K1", "中心组集体学习", date(2024, 2, 20))  # the year before
    _activity("K1-2", "K1", "专题学习", date(2025, 5, 6))
    _activity("K1-3", "K1", "专题学习", date(2025, 7, 6))  # the third quarter asked for no study
    _activity("T1-1", "T1", "讲党课", date(2025, 8, 1))
    # when
    progress = selectors.study_plan_progress(plan=plan)
    # then
    assert [(p.item.quarter, p.item.kind, p.done, [a.number for a in p.activities]) for p in progress.items] == [
        (1, "中心组集体学习", True, ["K1-1"]),
        (1, "中心组集体学习", False, ["K1-1"]),
        (2, "专题学习", True, ["K1-2"]),
        (3, "讲党课", False, []),
    ]
    assert (progress.done, progress.share) == (2, 0.5)


def test_saving_a_plan_replaces_its_items_and_is_audited(tree: Tree, county_admin: User) -> None:
    # given
    scope = Scope.for_user(county_admin)
    _plan(scope, county_admin)
    # when
    plan = _plan(scope, county_admin, title="修订后的计划", items=[PlanItemInput(4, "务虚研讨", "年度总结")])
    # then
    assert list(StudyPlanItem.objects.values_list("quarter", "kind", "topic")) == [(4, "务虚研讨", "年度总结")]
    assert (plan.title, plan.reading_list) == ("修订后的计划", ["《习近平谈治国理政》", "《中国共产党章程》"])
    assert StudyPlan.objects.count() == 1
    assert list(AuditEvent.objects.filter(object_type="study_plan").values_list("action", "object_id")
                .order_by("seq")) == [("study_plan_create", "K1/2025"), ("study_plan_update", "K1/2025")]


@pytest.mark.parametrize(
    ("overrides", "field", "row", "message"),
    [
        ({"items": [ITEMS[0], PlanItemInput(5, "讲党课", "x")]}, "quarter", 2, "第 2 项的季度“5”无效，应为1 到 4"),
        ({"items": [PlanItemInput(1, "开会", "x")]}, "kind", 1, "第 1 项的活动类型“开会”无效"),
        ({"items": [PlanItemInput(1, "讲党课", " ")]}, "topic", 1, "第 1 项的主题"),
        ({"items": [PlanItemInput(1, "讲党课", "x", ["党史"])]}, "content_areas", 1, "第 1 项的学习内容“党史”无效"),
        ({"year": 1999}, "year", None, "年度“1999”无效，应为2000 到 2100 之间的年份"),
        ({"title": ""}, "title", None, "标题"),
    ],
)
def test_invalid_plan_is_refused_naming_field_row_and_value(
    tree: Tree, overrides: dict[str, Any], field: str, row: int | None, message: str
) -> None:
    with pytest.raises(DomainError) as caught:
        _plan(whole_tree_scope(), **overrides)
    assert (caught.value.field, caught.value.row) == (field, row)
    assert message in caught.value.detail
    assert not StudyPlan.objects.exists()


def test_plans_outside_the_scope_are_missing_and_a_reviewer_reads_only(
    tree: Tree, county_admin: User, reviewer: User
) -> None:
    with pytest.raises(NotFound):
        _plan(Scope.for_user(county_admin), org_code="K3")
    with pytest.raises(Forbidden):
        _plan(Scope.for_user(reviewer))
    assert not StudyPlan.objects.exists()


def _personal(scope: Scope, actor: User | None = None, number: str = "MEM1", **overrides: Any) -> PersonalPlan:
    values: dict[str, Any] = {"year": 2025, "goal_hours": Decimal(10), "topics": ["乡村振兴"],
                              "books": ["《习近平谈治国理政》", "《之江新语》"]}
    values.update(overrides)
    return services.personal_plan_save(actor=actor, scope=scope, person_number=number, **values)


def test_a_member_sets_their_own_plan_and_it_is_audited(tree: Tree, member: User) -> None:
    # when
    plan = _personal(Scope.for_user(member), member)
    # then
    assert (plan.person.number, plan.goal_hours, plan.topics) == ("MEM1", Decimal(10), ["乡村振兴"])
    event = AuditEvent.objects.get(action="personal_plan_create")
    assert (event.actor_name, event.object_id) == ("member", "MEM1/2025")


def test_an_administrator_of_the_persons_organization_sets_it_too(tree: Tree, county_admin: User) -> None:
    _personal(Scope.for_user(county_admin), county_admin)
    _personal(Scope.for_user(county_admin), county_admin, goal_hours=Decimal(12))
    assert PersonalPlan.objects.get().goal_hours == Decimal(12)
    assert AuditEvent.objects.filter(action="personal_plan_update", object_id="MEM1/2025").count() == 1


def test_others_may_not_set_a_persons_plan(tree: Tree, cadre: User, reviewer: User, other_county_admin: User) -> None:
    with pytest.raises(NotFound):
        _personal(Scope.for_user(cadre), cadre)  # the cadre sees only themselves
    with pytest.raises(NotFound):
        _personal(Scope.for_user(other_county_admin), other_county_admin)
    with pytest.raises(Forbidden):
        _personal(Scope.for_user(reviewer), reviewer)
    assert not PersonalPlan.objects.exists()


def test_goal_hours_out_of_range_is_refused(tree: Tree, member: User) -> None:
    with pytest.raises(DomainError) as caught:
        _personal(Scope.for_user(member), member, goal_hours=Decimal(-1))
    assert caught.value.field == "goal_hours"
    assert caught.value.detail == "目标学时“-1”无效，应为0 到 2000 之间的数"


def test_personal_progress_counts_credited_hours_and_names_topics_and_books(
    tree: Tree, member: User, county_admin: User
) -> None:
    # given
    _personal(Scope.for_user(member), member)
    _activity("B1-1", "B1", "专题学习", date(2025, 4, 2), topic="乡村振兴专题学习", hours=Decimal(2))
    _activity("B1-2", "B1", "专题学习", date(2025, 5, 2), topic="安全生产", hours=Decimal(4))
    services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number="B1-1",
                               entries=[AttendanceInput("MEM1")])
    services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number="B1-2",
                               entries=[AttendanceInput("MEM1", status="请假")])
    claim = services.claim_submit(actor=member, scope=Scope.for_user(member), title="自学《习近平谈治国理政》第一卷",
                                  start_date=date(2025, 6, 1), hours=Decimal(3))
    services.claim_decide(actor=county_admin, scope=Scope.for_user(county_admin), claim_id=claim.pk, certify=True)
    scope = Scope.for_user(member)
    # when
    progress = selectors.personal_plan_progress(scope=scope, person=tree.member_person, year=2025)
    # then
    assert (progress.goal_hours, progress.credited_hours, progress.share) == (Decimal(10), Decimal(5), 0.5)
    assert [(g.goal, [e.reference for e in g.entries]) for g in progress.topics] == [("乡村振兴", ["B1-1"])]
    assert [(g.goal, [e.source for e in g.entries]) for g in progress.books] == [
        ("《习近平谈治国理政》", ["学时申报"]), ("《之江新语》", [])]


def test_a_person_without_a_plan_still_sees_their_hours(tree: Tree, member: User) -> None:
    progress = selectors.personal_plan_progress(scope=Scope.for_user(member), person=tree.member_person, year=2025)
    assert (progress.plan, progress.goal_hours, progress.share, progress.topics) == (None, Decimal(0), None, [])


# -- the API ------------------------------------------------------------------------------------------------
def _bearer(user: User) -> dict[str, str]:
    _, secret = api_token_create(user=user, name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_api_puts_and_gets_an_organizations_plan_with_progress(tree: Tree, county_admin: User) -> None:
    # given
    client, headers = Client(), _bearer(county_admin)
    _activity("K1-1", "K1", "中心组集体学习", date(2025, 2, 20))
    body = {"year": 2025, "title": "计划", "reading_list": ["《中国共产党章程》"], "items": [
        {"quarter": 1, "kind": "中心组集体学习", "topic": "学习党章", "content_areas": []},
        {"quarter": 2, "kind": "中心组集体学习", "topic": "学习党史"}]}
    # when
    put = client.put("/api/plans/orgs/K1", body, content_type="application/json", **headers)
    got = client.get("/api/plans/orgs/K1?year=2025", **headers).json()
    missing = client.get("/api/plans/orgs/K1?year=2024", **headers)
    # then
    assert put.status_code == 200
    assert [(i["quarter"], i["done"], [a["number"] for a in i["activities"]]) for i in got["items"]] == [
        (1, True, ["K1-1"]), (2, False, [])]
    assert (got["done"], got["done_share"]) == (1, 0.5)
    assert missing.status_code == 404
    assert missing.json() == {"code": "plan_not_found", "detail": "组织 K1 没有 2024 年度的学习计划"}


def test_api_refuses_a_bad_item_by_row(tree: Tree, county_admin: User) -> None:
    body = {"year": 2025, "title": "计划", "items": [{"quarter": 0, "kind": "讲党课", "topic": "x"}]}
    response = Client().put("/api/plans/orgs/K1", body, content_type="application/json", **_bearer(county_admin))
    assert response.status_code == 422
    assert response.json() == {"code": "plan_invalid", "field": "quarter", "row": 1,
                               "detail": "第 1 项的季度“0”无效，应为1 到 4"}


def test_api_personal_plan_for_oneself_and_refused_to_a_reviewer(tree: Tree, member: User, reviewer: User) -> None:
    # given
    body = {"year": 2025, "goal_hours": "20", "topics": ["党史"], "books": []}
    # when
    own = Client().put("/api/plans/people/MEM1", body, content_type="application/json", **_bearer(member))
    refused = Client().put("/api/plans/people/MEM1", body, content_type="application/json", **_bearer(reviewer))
    read = Client().get("/api/plans/people/MEM1?year=2025", **_bearer(reviewer))
    # then
    assert own.status_code == 200
    assert refused.status_code == 403
    assert read.json()["goal_hours"] == "20.00"
    assert read.json()["credited_hours"] == "0"
