from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl

from tests.conftest import Tree, signed_in_client
from xuexi.accounts.models import User
from xuexi.accounts.scope import whole_tree_scope
from xuexi.learning import services
from xuexi.learning.models import Activity
from xuexi.learning.services import ActivityInput, AttendanceInput


def _lecture(number: str, host: str, day: date) -> None:
    services.activity_save(actor=None, scope=whole_tree_scope(), data=ActivityInput(
        number=number, kind="讲座论坛", host_code=host, start_date=day, topic=f"讲座{number}", hours=Decimal(2)))


def test_org_activities_list_and_calendar_are_scoped(tree: Tree, county_admin: User) -> None:
    _lecture("L1", "K1", date(2025, 5, 6))
    _lecture("L2", "T1", date(2025, 5, 7))
    _lecture("L3", "K3", date(2025, 5, 8))
    client = signed_in_client(county_admin)
    listing = client.get("/orgs/K1/activities/").content.decode()
    assert "讲座L1" in listing and "讲座L2" in listing and "讲座L3" not in listing
    own = client.get("/orgs/K1/activities/?own=1").content.decode()
    assert "讲座L2" not in own
    month = client.get("/orgs/K1/activities/?view=calendar&month=2025-05").content.decode()
    assert "讲座L1" in month
    assert client.get("/orgs/K3/activities/").status_code == 404


def test_record_an_activity_from_the_page(tree: Tree, county_admin: User) -> None:
    response = signed_in_client(county_admin).post("/orgs/K1/activities/new/", {
        "number": "F1", "kind": "培训", "topic": "培训班", "start_date": "2025-06-02", "end_date": "2025-06-06",
        "hours": "40", "content_areas": ["科学发展观"], "training_type": "理论培训", "off_job": "on"})
    assert response.status_code == 302
    activity = Activity.objects.get(number="F1")
    assert (activity.host.code, activity.off_job, activity.end_date) == ("K1", True, date(2025, 6, 6))


def test_activity_form_explains_a_training_without_type(tree: Tree, county_admin: User) -> None:
    response = signed_in_client(county_admin).post("/orgs/K1/activities/new/", {
        "number": "F2", "kind": "培训", "topic": "培训班", "start_date": "2025-06-02"})
    assert "培训须填培训类别" in response.content.decode()
    assert not Activity.objects.filter(number="F2").exists()


def test_archive_page_and_export(tree: Tree, county_admin: User) -> None:
    _lecture("L1", "K1", date(2025, 5, 6))
    services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number="L1",
                               entries=[AttendanceInput("MEM1")])
    client = signed_in_client(county_admin)
    html = client.get("/people/MEM1/archive/?year=2025").content.decode()
    assert 'data-testid="total-hours">2<' in html
    assert "活动登记的学时" in html
    exported = client.get("/people/MEM1/archive/?year=2025&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    assert [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))][4] == "讲座L1"


def test_member_sees_own_archive_only(tree: Tree, member: User) -> None:
    client = signed_in_client(member)
    assert client.get("/people/MEM1/archive/").status_code == 200
    assert client.get("/people/CAD1/archive/").status_code == 404


def test_member_claims_self_study_and_admin_certifies_it(tree: Tree, member: User, county_admin: User) -> None:
    # given: the member declares self-study
    response = signed_in_client(member).post("/people/MEM1/claims/", {
        "title": "自学党章", "kind": "个人自学", "start_date": "2025-07-01", "hours": "6"})
    assert response.status_code == 302
    admin = signed_in_client(county_admin)
    queue = admin.get("/claims/").content.decode()
    assert "自学党章" in queue
    exported = openpyxl.load_workbook(io.BytesIO(admin.get("/claims/?format=xlsx").content)).active
    assert exported is not None
    assert [row[1:6] for row in exported.iter_rows(min_row=2, values_only=True)] == [
        ("MEM1", "王党员", "一村党支部", "个人自学", "自学党章")]
    # when
    from xuexi.learning.models import LearningClaim

    claim = LearningClaim.objects.get(title="自学党章")
    admin.post("/people/MEM1/claims/decide/", {"claim": claim.pk, "decision": "certify"})
    # then
    claim.refresh_from_db()
    assert claim.status == "certified"
    assert 'data-testid="total-hours">6<' in signed_in_client(member).get(
        "/people/MEM1/archive/?year=2025").content.decode()


def test_refusal_without_reason_is_explained(tree: Tree, member: User, county_admin: User) -> None:
    signed_in_client(member).post("/people/MEM1/claims/", {
        "title": "自学", "kind": "个人自学", "start_date": "2025-07-01", "hours": "6"})
    from xuexi.learning.models import LearningClaim

    claim = LearningClaim.objects.get()
    response = signed_in_client(county_admin).post("/people/MEM1/claims/decide/",
                                                   {"claim": claim.pk, "decision": "refuse"}, follow=True)
    assert "须说明理由" in response.content.decode()
    assert LearningClaim.objects.get().status == "pending"


def test_only_oneself_may_claim(tree: Tree, county_admin: User) -> None:
    response = signed_in_client(county_admin).post("/people/MEM1/claims/", {
        "title": "代报", "kind": "个人自学", "start_date": "2025-07-01", "hours": "6"})
    assert response.status_code == 403
