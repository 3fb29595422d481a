"""主题教育 and 学习计划 pages: what each viewer sees and may change."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from tests.conftest import Tree, signed_in_client
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import whole_tree_scope
from xuexi.learning import services
from xuexi.learning.models import Activity, Campaign, PersonalPlan, StudyPlan
from xuexi.learning.services import ActivityInput, AttendanceInput, CampaignInput

CAMPAIGN_FORM = {
    "code": "ZT1", "name": "学习型党组织建设主题教育", "start_date": "2025-03-01", "end_date": "2025-12-31",
    "organizer_code": "C1", "covers_code": "C1", "themes": "学理论、学政策\n学省情",
    "requirements": "县级 中心组集体学习 2\n基层 讲党课", "description": "",
}


def _campaign(organizer: str = "C1", covers: str = "C1") -> Campaign:
    return services.campaign_save(actor=None, scope=whole_tree_scope(), data=CampaignInput(
        code="ZT1", name="学习型党组织建设主题教育", start_date=date(2025, 3, 1), end_date=date(2025, 12, 31),
        organizer_code=organizer, covers_code=covers, requirements=[("县级", "中心组集体学习", 1)]))


def _activity(number: str, host: str, day: date, kind: str = "中心组集体学习") -> None:
    services.activity_save(actor=None, scope=whole_tree_scope(), data=ActivityInput(
        number=number, kind=kind, host_code=host, start_date=day, topic=f"活动{number}", hours=Decimal(2)))


def _row(html: str, org: str) -> list[str]:
    match = re.search(rf'<tr[^>]*data-org="{org}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {org}"
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", match.group(1), re.S)]


def test_city_admin_launches_a_campaign_from_the_page(tree: Tree, city_admin: User) -> None:
    # when
    response = signed_in_client(city_admin).post("/campaigns/new/", CAMPAIGN_FORM)
    # then
    assert response.status_code == 302
    assert response["Location"] == "/campaigns/ZT1/"
    campaign = Campaign.objects.get(code="ZT1")
    assert campaign.themes == ["学理论", "学政策", "学省情"]
    assert sorted(campaign.requirements.values_list("level", "kind", "minimum")) == [
        ("县级", "中心组集体学习", 2), ("基层", "讲党课", 1)]


def test_a_requirement_line_in_the_wrong_shape_is_explained(tree: Tree, city_admin: User) -> None:
    response = signed_in_client(city_admin).post("/campaigns/new/", {**CAMPAIGN_FORM,
                                                                     "requirements": "县级 中心组集体学习 两次"})
    assert "第 1 行的至少次数“两次”不是正整数" in response.content.decode()
    assert not Campaign.objects.exists()


def test_an_unknown_level_is_explained_beside_the_requirements(tree: Tree, city_admin: User) -> None:
    response = signed_in_client(city_admin).post("/campaigns/new/", {**CAMPAIGN_FORM, "requirements": "州级 讲党课 1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "组织层级“州级”无效，应为省级、市级、县级、乡级、基层 之一" in html
    assert not Campaign.objects.exists()


def test_detail_rolls_up_by_county_and_drills_down(tree: Tree, city_admin: User) -> None:
    # given
    _campaign()
    _activity("K1-1", "K1", date(2025, 4, 1))
    services.campaign_activity_add(actor=None, scope=whole_tree_scope(), campaign_code="ZT1", activity_number="K1-1")
    services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number="K1-1",
                               entries=[AttendanceInput("CAD1")])
    client = signed_in_client(city_admin)
    # when
    html = client.get("/campaigns/ZT1/").content.decode()
    drilled = client.get("/campaigns/ZT1/?org=K1").content.decode()
    # then
    assert _row(html, "K1") == ["中共丙县委员会", "含下级", "1", "1", "100%", "1", "2", "50%"]
    assert _row(html, "K2") == ["中共丁县委员会", "含下级", "1", "0", "0%", "0", "0", "—"]
    assert _row(html, "total") == ["中共甲市委员会", "合计", "2", "1", "50%", "1", "2", "50%"]
    assert "活动K1-1" in html
    assert _row(drilled, "T1") == ["中共丙县一镇委员会", "含下级", "0", "0", "—", "0", "1", "0%"]


def test_a_county_admin_sees_the_citys_campaign_but_not_its_edit_form(tree: Tree, county_admin: User) -> None:
    # given
    _campaign()
    client = signed_in_client(county_admin)
    # when
    listing = client.get("/campaigns/").content.decode()
    detail = client.get("/campaigns/ZT1/")
    edit = client.get("/campaigns/ZT1/edit/")
    sibling = client.get("/campaigns/ZT1/?org=K2")
    # then
    assert "学习型党组织建设主题教育" in listing
    assert detail.status_code == 200
    assert 'data-org="K1"' in detail.content.decode()
    assert 'data-org="K2"' not in detail.content.decode()
    assert edit.status_code == 403
    assert sibling.status_code == 404


def test_another_citys_county_gets_404(tree: Tree, other_county_admin: User) -> None:
    _campaign()
    client = signed_in_client(other_county_admin)
    assert client.get("/campaigns/ZT1/").status_code == 404
    assert "学习型党组织建设主题教育" not in client.get("/campaigns/").content.decode()


def test_a_reviewer_may_not_open_the_new_campaign_form(tree: Tree, reviewer: User, member: User) -> None:
    assert signed_in_client(reviewer).get("/campaigns/new/").status_code == 403
    assert signed_in_client(member).get("/campaigns/new/").status_code == 404


def test_edit_page_saves_and_audits(tree: Tree, city_admin: User) -> None:
    # given
    _campaign()
    form = {k: v for k, v in CAMPAIGN_FORM.items() if k != "code"}
    # when
    response = signed_in_client(city_admin).post("/campaigns/ZT1/edit/", {**form, "name": "改名后的主题教育"})
    # then
    assert response.status_code == 302
    assert Campaign.objects.get(code="ZT1").name == "改名后的主题教育"
    assert AuditEvent.objects.filter(action="campaign_update", actor_name="city_admin").exists()


def test_an_activity_is_added_from_the_detail_page_and_a_refusal_explained(tree: Tree, county_admin: User) -> None:
    # given
    _campaign()
    _activity("K1-1", "K1", date(2025, 4, 1))
    _activity("K1-0", "K1", date(2025, 1, 5))
    client = signed_in_client(county_admin)
    # when
    added = client.post("/campaigns/ZT1/activities/", {"number": "K1-1", "action": "add"})
    refused = client.post("/campaigns/ZT1/activities/", {"number": "K1-0", "action": "add"}, follow=True)
    # then
    assert added.status_code == 302
    assert Activity.objects.get(number="K1-1").campaign is not None
    assert "2025-01-05 不在主题教育期间" in refused.content.decode()
    assert Activity.objects.get(number="K1-0").campaign is None


def test_org_plan_edited_from_lines_and_shown_against_the_record(tree: Tree, county_admin: User) -> None:
    # given
    _activity("K1-1", "K1", date(2025, 2, 1))
    client = signed_in_client(county_admin)
    # when
    saved = client.post("/orgs/K1/plan/edit/?year=2025", {
        "year": "2025", "title": "2025年度学习计划",
        "items": "1 中心组集体学习 学习党章 中国特色社会主义理论体系、科学发展观\n第二季度 讲党课 作风建设",
        "reading_list": "《中国共产党章程》\n"})
    html = client.get("/orgs/K1/plan/?year=2025").content.decode()
    # then
    assert saved.status_code == 302
    assert saved["Location"] == "/orgs/K1/plan/?year=2025"
    plan = StudyPlan.objects.get(org__code="K1", year=2025)
    assert [(i.quarter, i.kind, i.topic, i.content_areas) for i in plan.items.order_by("quarter")] == [
        (1, "中心组集体学习", "学习党章", ["中国特色社会主义理论体系", "科学发展观"]),
        (2, "讲党课", "作风建设", [])]
    assert 'data-testid="plan-done">1 / 2<' in html
    assert "活动K1-1（K1-1）" in html


def test_org_plan_line_errors_are_shown(tree: Tree, county_admin: User) -> None:
    response = signed_in_client(county_admin).post("/orgs/K1/plan/edit/", {
        "year": "2025", "title": "计划", "items": "1 开会 学习党章"})
    assert "第 1 项的活动类型“开会”无效" in response.content.decode()
    assert not StudyPlan.objects.exists()


def test_org_plan_is_scoped(tree: Tree, county_admin: User, reviewer: User) -> None:
    assert signed_in_client(county_admin).get("/orgs/K3/plan/").status_code == 404
    assert signed_in_client(reviewer).get("/orgs/K1/plan/").status_code == 200
    assert signed_in_client(reviewer).get("/orgs/K1/plan/edit/").status_code == 403


def test_a_member_sets_their_own_plan_and_sees_progress(tree: Tree, member: User) -> None:
    # given
    _activity("B1-1", "B1", date(2025, 4, 1), kind="专题学习")
    services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number="B1-1",
                               entries=[AttendanceInput("MEM1")])
    client = signed_in_client(member)
    # when
    saved = client.post("/people/MEM1/plan/?year=2025", {"year": "2025", "goal_hours": "8", "topics": "活动B1",
                                                         "books": "《之江新语》"})
    html = client.get("/people/MEM1/plan/?year=2025").content.decode()
    # then
    assert saved.status_code == 302
    assert PersonalPlan.objects.get(person__number="MEM1", year=2025).goal_hours == Decimal(8)
    assert 'data-testid="credited-hours">2<' in html
    assert "完成 25%" in html
    assert "活动B1：1 条相关记录" in html


def test_a_reviewer_reads_a_persons_plan_but_may_not_change_it(tree: Tree, reviewer: User) -> None:
    client = signed_in_client(reviewer)
    page = client.get("/people/MEM1/plan/")
    posted = client.post("/people/MEM1/plan/", {"year": "2025", "goal_hours": "8"})
    assert page.status_code == 200
    assert 'name="goal_hours"' not in page.content.decode()
    assert posted.status_code == 403
    assert not PersonalPlan.objects.exists()


def test_links_lead_to_the_new_pages(tree: Tree, county_admin: User) -> None:
    client = signed_in_client(county_admin)
    assert 'href="/campaigns/"' in client.get("/").content.decode()
    assert 'href="/orgs/K1/plan/"' in client.get("/orgs/K1/").content.decode()
    assert 'href="/people/MEM1/plan/"' in client.get("/people/MEM1/").content.decode()
