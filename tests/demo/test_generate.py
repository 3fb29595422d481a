from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from xuexi.accounts.models import User
from xuexi.demo.generate import DEMO_PASSWORD, DemoRefused, generate
from xuexi.orgs.models import Organization
from xuexi.people.models import Person


def _fingerprint() -> list[tuple[str, str, str]]:
    return list(Person.objects.order_by("number").values_list("number", "name", "org__code")[:300])


def test_demo_builds_a_consistent_tree_on_the_real_divisions(db: None) -> None:
    # when
    result = generate(scale="small", seed=3, learning=False)
    # then: every prefecture and county-level division has its committee
    assert result.organizations == Organization.objects.count()
    assert Organization.objects.filter(level="市级").count() == 9
    assert Organization.objects.filter(level="县级").count() == 69
    assert Organization.objects.get(code="220184").name == "中共公主岭市委员会"
    assert Organization.objects.get_parent(Organization.objects.get(code="22SZ")).code == "220000"
    for org in Organization.objects.filter(level="县级")[:10]:
        assert Organization.objects.get_parent(org).level == "市级"
        assert org.numchild == Organization.objects.get_children(org).count()
    assert set(Organization.objects.values_list("sector", flat=True)) >= {
        "党政机关", "事业单位", "国有企业", "农村", "社区", "非公有制经济组织", "社会组织", "高等学校"}
    assert 4000 <= result.people <= 7000


def test_demo_is_reproducible_from_its_seed(db: None) -> None:
    generate(scale="small", seed=11, learning=False)
    first = _fingerprint()
    generate(scale="small", seed=11, reset=True)
    assert _fingerprint() == first
    generate(scale="small", seed=12, reset=True)
    assert _fingerprint() != first


def test_demo_refuses_a_database_with_data(db: None) -> None:
    generate(scale="small", seed=1)
    with pytest.raises(DemoRefused):
        generate(scale="small", seed=1)


def test_demo_has_leaders_in_realistic_proportions(db: None) -> None:
    generate(scale="small", seed=5)
    people = Person.objects.count()
    assert Person.objects.filter(leader_post="省级领导", rank="省部级").count() == 11
    assert Person.objects.filter(leader_post="市州领导").count() == 9 * 9
    assert Person.objects.filter(leader_post="县市区领导").count() == 69 * 8
    assert Person.objects.exclude(leader_post="无").count() < people * 0.2
    assert Person.objects.filter(group_rows__group="离退休").exists()
    assert Person.objects.filter(id_card_masked="").count() == 0


def test_demo_accounts_sign_in_without_extra_steps_in_demo_environment(db: None, settings: object) -> None:
    # given
    settings.DEMO = True  # type: ignore[attr-defined]
    result = generate(scale="small", seed=2)
    usernames = [username for username, _, _ in result.accounts]
    # then: one account per role, all demo accounts
    assert usernames == ["province_admin", "city_admin", "county_admin", "branch_admin", "reviewer", "cadre",
                         "member", "sysadmin", "secadmin", "auditor"]
    for username in usernames:
        client = Client()
        client.post("/accounts/sign-in/", {"username": username, "password": DEMO_PASSWORD})
        assert client.get("/").status_code == 200, username
    assert User.objects.get(username="auditor").person is None


def test_demo_accounts_need_second_factor_outside_demo_environment(db: None) -> None:
    generate(scale="small", seed=2)
    client = Client()
    client.post("/accounts/sign-in/", {"username": "county_admin", "password": DEMO_PASSWORD})
    assert client.get("/").url == "/accounts/otp/"


def test_demo_fills_a_year_of_learning_with_norms_met_missed_and_pending(db: None) -> None:
    from django.db.models import Count, Q, Sum

    from xuexi.learning.models import Activity, Attendance, LearningClaim

    # when
    result = generate(scale="small", seed=8)
    # then: every kind the norms count is there, and not every organization meets every norm
    assert result.learning["attendance"] == Attendance.objects.count() > 20_000
    kinds = set(Activity.objects.values_list("kind", flat=True))
    assert {"中心组集体学习", "培训", "调查研究", "讲党课", "专题学习"} <= kinds
    assert Activity.objects.filter(kind="培训", off_job=True).exists()
    assert Activity.objects.filter(kind="讲党课", speaker_person__isnull=False).exclude(speaker="").exists()
    assert set(LearningClaim.objects.values_list("status", flat=True)) == {"pending", "certified", "refused"}
    from xuexi.studyreports.models import StudyReport, StudyReportCall

    # 述学: the province's two calls, most central-group members reported on them, in every status
    assert StudyReportCall.objects.count() == 2
    assert set(StudyReport.objects.values_list("status", flat=True)) == {"draft", "submitted", "returned", "reviewed"}
    assert StudyReport.objects.filter(status="reviewed").exclude(rating="").exists()
    central = Organization.objects.filter(has_central_group=True).annotate(
        sessions=Count("hosted_activities", filter=Q(hosted_activities__kind="中心组集体学习")))
    assert central.filter(sessions__lt=3).exists()
    off_job = (Attendance.objects.filter(status="出席", activity__kind="培训", activity__off_job=True)
               .values("person").annotate(hours=Sum("activity__hours")))
    totals = [row["hours"] for row in off_job]
    assert any(h >= 110 for h in totals)
    assert any(h < 110 for h in totals)
    # and the ledger's running totals are filled, agreeing with the records they sum
    from xuexi.learning.models import CreditTotal, HostedTotal, PlatformCredit
    from xuexi.library.models import ReadingTime

    assert HostedTotal.objects.aggregate(n=Sum("activities"))["n"] == Activity.objects.count()
    present = Attendance.objects.filter(status="出席").count()
    certified = LearningClaim.objects.filter(status="certified").count()
    online = PlatformCredit.objects.count()
    assert online and CreditTotal.objects.aggregate(n=Sum("records"))["n"] == present + certified + online
    # and the online days' credit is what their reading records earned (0.1 h a full 6 minutes)
    day = PlatformCredit.objects.order_by("id").first()
    assert day is not None
    read = ReadingTime.objects.filter(person=day.person, day=day.date).aggregate(s=Sum("seconds"))["s"]
    assert day.hours == Decimal(read // 360) / 10
    # and the dashboards' standings of this year and last are held, equal to a fresh evaluation
    from datetime import date

    from xuexi.norms import standings
    from xuexi.norms.engine import evaluate
    from xuexi.norms.models import Standing

    this_year = date.today().year
    assert standings.held_years() == [this_year - 1, this_year]
    held = set(standings.rows_of(Standing.objects.filter(year=this_year), date.today()))
    assert held == set(evaluate(year=this_year, as_of=date.today()).rows)


def test_demo_reset_clears_what_lower_levels_and_the_norms_added(db: None) -> None:
    from datetime import date
    from decimal import Decimal

    from django.db.models import F

    from xuexi.accounts.scope import whole_tree_scope
    from xuexi.norms import services as norms
    from xuexi.norms.models import Exemption, Rule, Standing
    from xuexi.notices.models import Notification

    # given: a demo with a county's own rule, an exemption and a notification
    generate(scale="small", seed=3, learning=False)
    admin = User.objects.filter(is_superuser=False).first()
    county = Organization.objects.filter(level="县级").first()
    assert admin is not None and county is not None
    terms = norms.RuleTerms(name="县里规则", source="县委", subject_type="org", metric="hosted", period="year",
                            required=Decimal(1))
    norms.rule_create(actor=admin, scope=whole_tree_scope(), code="county-rule", owner_code=county.code,
                      effective_from=date(2025, 1, 1), terms=terms)
    norms.exemption_grant(actor=admin, scope=whole_tree_scope(), rule_code="member-training-annual", period="2025",
                          reason="新建", org_code=county.code)
    Notification.objects.create(recipient=admin, kind="annual_report", key="k", title="t", body="b")
    # when
    generate(scale="small", seed=3, reset=True, learning=False)
    # then: the province's six rules remain; what hung on the old tree is gone
    assert Rule.objects.count() == 6 and not Exemption.objects.exists() and not Notification.objects.exists()
    assert Standing.objects.exists() and not Standing.objects.exclude(org_path=F("org__path")).exists()
