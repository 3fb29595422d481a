from __future__ import annotations

import re

from tests import factories
from tests.conftest import Tree, signed_in_client
from xuexi.accounts.models import AuditEvent, User

ID_CARD = re.compile(r"\d{17}[\dX]")
PHONE = re.compile(r"(?<!\d)1\d{10}(?!\d)")


def test_pages_carry_security_headers(tree: Tree, county_admin: User) -> None:
    response = signed_in_client(county_admin).get("/orgs/K1/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_person_page_shows_only_masked_numbers(tree: Tree, county_admin: User) -> None:
    html = signed_in_client(county_admin).get("/people/MEM1/").content.decode()
    assert "139****5678" in html
    assert not ID_CARD.search(html)
    assert not PHONE.search(html)


def test_reveal_fragment_shows_full_numbers_and_is_audited(tree: Tree, county_admin: User) -> None:
    response = signed_in_client(county_admin).post("/people/MEM1/reveal/")
    assert "13912345678" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action="reveal_personal_data", actor_id=county_admin.pk).count() == 1


def test_reveal_needs_post(tree: Tree, county_admin: User) -> None:
    assert signed_in_client(county_admin).get("/people/MEM1/reveal/").status_code == 405


def test_free_text_is_escaped_everywhere(tree: Tree, county_admin: User) -> None:
    # given
    payload = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    factories.make_org("XSS", parent=tree.township, name=payload)
    factories.make_person(tree.branch, number="XSS1", name=payload)
    client = signed_in_client(county_admin)
    # when
    pages = [client.get(url).content.decode() for url in
             ("/orgs/XSS/", "/orgs/T1/children/", "/orgs/?q=script", "/people/XSS1/", "/orgs/B1/",
              "/people/?q=script")]
    # then
    for html in pages:
        assert "<script>alert(1)" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;" in html


def test_out_of_scope_page_equals_missing_page_and_is_audited(tree: Tree, county_admin: User) -> None:
    client = signed_in_client(county_admin)
    hidden = client.get("/orgs/K3/")
    missing = client.get("/orgs/NO-SUCH/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert AuditEvent.objects.filter(action="access_refused", actor_id=county_admin.pk).count() == 2


def test_tree_children_fragment_loads_for_htmx(tree: Tree, city_admin: User) -> None:
    html = signed_in_client(city_admin).get("/orgs/K1/children/", HTTP_HX_REQUEST="true").content.decode()
    assert "中共丙县一镇委员会" in html
    assert "<html" not in html


def test_org_search_finds_by_name_and_code(tree: Tree, city_admin: User) -> None:
    client = signed_in_client(city_admin)
    assert "中共丁县委员会" in client.get("/orgs/?q=丁县").content.decode()
    assert "中共丁县委员会" in client.get("/orgs/?q=K2").content.decode()
    assert "中共戊县委员会" not in client.get("/orgs/?q=戊县").content.decode()


def test_org_page_query_count_does_not_grow_with_members(
    tree: Tree, county_admin: User, django_assert_max_num_queries: object
) -> None:
    for i in range(30):
        factories.make_person(tree.county, number=f"Q{i}", name=f"成员{i}")
    client = signed_in_client(county_admin)
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        assert client.get("/orgs/K1/").status_code == 200


def test_person_search_query_count_is_bounded(
    tree: Tree, province_admin: User, django_assert_max_num_queries: object
) -> None:
    for i in range(30):
        factories.make_person(tree.branch, number=f"S{i}", name=f"王{i}")
    client = signed_in_client(province_admin)
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        assert client.get("/people/?q=王").status_code == 200


def test_workbench_counts_the_scope(tree: Tree, city_admin: User) -> None:
    html = signed_in_client(city_admin).get("/").content.decode()
    assert re.search(r'data-testid="org-count">5<', html)
    assert re.search(r'data-testid="person-count">2<', html)


def test_system_admin_sees_no_business_data(tree: Tree, system_admin: User) -> None:
    client = signed_in_client(system_admin)
    assert client.get("/orgs/P/").status_code == 404
    assert "data-testid=\"org-count\"" not in client.get("/").content.decode()
    assert client.get("/system-admin/").status_code == 200


def test_auditor_reads_the_log_and_nothing_else(tree: Tree, auditor: User) -> None:
    client = signed_in_client(auditor)
    assert client.get("/accounts/audit/?action=sign_in").status_code == 200
    assert client.get("/orgs/P/").status_code == 404
    assert client.get("/system-admin/").status_code == 302


def test_refused_write_is_audited_once(tree: Tree, reviewer: User) -> None:
    from django.test import Client

    from xuexi.accounts.services import api_token_create

    _, secret = api_token_create(user=reviewer, name="t")
    response = Client().patch("/api/orgs/K1", {"name": "x"}, content_type="application/json",
                              HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="access_refused", actor_id=reviewer.pk).count() == 1


def test_refused_reveal_is_audited_once(tree: Tree, reviewer: User) -> None:
    response = signed_in_client(reviewer).post("/people/MEM1/reveal/")
    assert response.status_code == 403
    refusals = AuditEvent.objects.filter(actor_id=reviewer.pk, outcome="denied")
    assert list(refusals.values_list("action", flat=True)) == ["reveal_personal_data"]


def test_workbench_shows_the_scopes_compliance_and_learning_reach(
        tree: Tree, city_admin: User, django_assert_max_num_queries: object) -> None:
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xuexi.accounts.scope import whole_tree_scope
    from xuexi.learning import services
    from xuexi.learning.services import ActivityInput, AttendanceInput

    # given: K1's central group met in the first quarter, with its leader present
    this_year = date.today().year
    services.activity_save(actor=None, scope=whole_tree_scope(), data=ActivityInput(
        number="W1", kind="中心组集体学习", host_code="K1", start_date=date(this_year, 2, 1), topic="学习"))
    services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number="W1",
                               entries=[AttendanceInput("CAD1")])
    client = signed_in_client(city_admin)
    # when
    html = client.get("/").content.decode()
    # then: one of the city's two people learned; the city's rules at a glance, with the way to the dashboard
    assert f"{this_year} 年参加学习 1 人" in html
    card = html[html.index('data-testid="supervision-C1"'):]
    assert "/orgs/C1/compliance/" in card and "县处级以上领导干部脱产培训" in card
    # and the page costs as many queries however many people the city holds
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(20):
        factories.make_person(tree.branch, number=f"W{n}", groups="流动党员")
    with django_assert_max_num_queries(len(few)):  # type: ignore[operator]
        assert client.get("/").status_code == 200
