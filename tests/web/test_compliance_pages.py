"""制度落实 pages: every row says why, the roll-up follows the tree, and both keep to the scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import Tree, signed_in_client
from xuexi.accounts.models import User
from xuexi.accounts.scope import whole_tree_scope
from xuexi.learning import services
from xuexi.learning.services import ActivityInput, AttendanceInput

THIS_YEAR = date.today().year


def _training(number: str, start: date, *, off_job: bool, hours: int) -> None:
    services.activity_save(actor=None, scope=whole_tree_scope(), data=ActivityInput(
        number=number, kind="培训", host_code="K1", start_date=start, end_date=start.replace(day=start.day + 4),
        topic=f"培训{number}", hours=Decimal(hours), training_type="理论培训", off_job=off_job))


def test_a_leaders_row_lists_what_counted_and_why_the_rest_did_not(tree: Tree, county_admin: User) -> None:
    # given: CAD1 at one off-job training, absent from another, present at one on the job
    _training("F1", date(THIS_YEAR, 1, 5), off_job=True, hours=40)
    _training("F2", date(THIS_YEAR, 1, 12), off_job=True, hours=30)
    _training("F3", date(THIS_YEAR, 1, 19), off_job=False, hours=20)
    services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number="F1",
                               entries=[AttendanceInput("CAD1")])
    services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number="F2",
                               entries=[AttendanceInput("CAD1", status="缺席")])
    services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number="F3",
                               entries=[AttendanceInput("CAD1")])
    # when
    html = signed_in_client(county_admin).get(f"/people/CAD1/compliance/?year={THIS_YEAR}").content.decode()
    # then
    assert "县处级以上领导干部脱产培训每年不少于 110 学时" in html
    assert "县处级以上党政领导干部参加脱产培训每年一般不少于110学时" in html
    assert "实际 40 / 要求 110" in html
    assert "缺席，不计学时" in html and "不是脱产培训" in html
    assert "周期结束即截止" in html


def test_the_roll_up_counts_the_subtree_by_child(tree: Tree, city_admin: User) -> None:
    # given: K1's central group met in the first quarter; K2 has no central group
    services.activity_save(actor=None, scope=whole_tree_scope(), data=ActivityInput(
        number="C1", kind="中心组集体学习", host_code="K1", start_date=date(THIS_YEAR, 2, 1), topic="学习"))
    # when
    html = signed_in_client(city_admin).get(f"/orgs/C1/compliance/?year={THIS_YEAR}").content.decode()
    # then: C1 and K1 have central groups; K1 met Q1
    assert 'data-testid="rollup-central-group-study-quarterly"' in html
    assert f'<a href="/orgs/K1/compliance/?year={THIS_YEAR}">中共丙县委员会</a></td><td>1</td>' in html
    assert 'data-testid="rollup-annual-report-jan31"' in html


def _dashboard_world() -> None:
    # K1's central group met in Q1 of this year and of last year; MEM1 (retired, remote rural) was at a lecture
    for number, year in (("D1", THIS_YEAR), ("D0", THIS_YEAR - 1)):
        services.activity_save(actor=None, scope=whole_tree_scope(), data=ActivityInput(
            number=number, kind="中心组集体学习", host_code="K1", start_date=date(year, 2, 1), topic="学习"))
    services.activity_save(actor=None, scope=whole_tree_scope(), data=ActivityInput(
        number="D2", kind="讲党课", host_code="B1", start_date=date(THIS_YEAR, 3, 1), topic="党课", hours=Decimal(2)))
    services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number="D2",
                               entries=[AttendanceInput("MEM1")])


def test_the_dashboard_breaks_down_by_level_sector_quarter_and_focus_group(tree: Tree, city_admin: User) -> None:
    # given
    _dashboard_world()
    # when
    html = signed_in_client(city_admin).get(f"/orgs/C1/compliance/?year={THIS_YEAR}").content.decode()
    # then: C1 (市级) and K1 (县级) have central groups; K1 met Q1, this year as last
    central = "central-group-study-quarterly"
    assert f'data-testid="levels-{central}"' in html and "<td>县级</td><td>1</td>" in html
    assert f'data-testid="sectors-{central}"' in html and "<td>党政机关</td><td>1</td>" in html
    assert "<td>离退休</td><td>1</td><td>1</td><td>100.0%</td>" in html
    assert 'data-chart="chart-trend"' in html and 'id="chart-trend"' in html
    trend = html[html.index('data-testid="trend"'):]
    assert f"<td>{THIS_YEAR} 年</td><td>50.0%</td>" in trend and f"<td>{THIS_YEAR - 1} 年</td><td>50.0%</td>" in trend


def test_the_dashboard_exports_every_breakdown_to_xlsx(tree: Tree, city_admin: User) -> None:
    import io

    import openpyxl

    from tests.outcomes.world import record
    from xuexi.accounts.models import AuditEvent
    from xuexi.accounts.scope import whole_tree_scope
    from xuexi.outcomes import experiences, services

    # given: K1 sent a 典型经验 up, and withdrew a 内参 (counted no more)
    _dashboard_world()
    experience = record("K1", kind="典型经验")
    experiences.experience_submit(actor=None, scope=whole_tree_scope(), number=experience.number)
    services.outcome_withdraw(actor=None, scope=whole_tree_scope(), number=record("K1", kind="内参").number,
                              reason="重复登记")
    # when
    response = signed_in_client(city_admin).get(f"/orgs/C1/compliance/?year={THIS_YEAR}&format=xlsx")
    # then
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["各项制度", "按下级组织", "按组织层级", "按单位类别", "季度趋势", "关注群体学习覆盖",
                               "未达标和进度落后", "学习成果统计"]
    outcomes = dict(book["学习成果统计"].iter_rows(min_row=2, values_only=True))
    assert (outcomes["典型经验"], outcomes["内参"], outcomes["典型经验（已报上级）"]) == (1, 0, 1)
    coverage = {row[0]: row[1:] for row in book["关注群体学习覆盖"].iter_rows(min_row=2, values_only=True)}
    assert coverage["离退休"] == (1, 1, "100.0%")
    children = [row[1] for row in book["按下级组织"].iter_rows(min_row=2, values_only=True)]
    assert "K1" in children and "K3" not in children  # another city's county is not the city's
    assert AuditEvent.objects.filter(action="export", object_type="compliance", object_id="C1").exists()


def test_the_dashboard_takes_as_many_queries_for_a_big_subtree_as_for_a_small_one(
        tree: Tree, city_admin: User, django_assert_max_num_queries: Any) -> None:
    from tests import factories

    # given: the page seen once (the year's standings built), then many more organizations and people below
    client = signed_in_client(city_admin)
    _dashboard_world()
    client.get(f"/orgs/C1/compliance/?year={THIS_YEAR}")
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/orgs/C1/compliance/?year={THIS_YEAR}").status_code == 200
    for n in range(6):
        org = factories.make_org(f"N{n}", parent=tree.county, has_central_group=True, level="乡级", kind="党委")
        factories.make_person(org, rank="县处级", leader_post="县市区领导", groups="流动党员")
    # when / then
    with django_assert_max_num_queries(len(few)):
        assert client.get(f"/orgs/C1/compliance/?year={THIS_YEAR}").status_code == 200


def test_compliance_pages_keep_to_the_scope(tree: Tree, other_county_admin: User, member: User) -> None:
    client = signed_in_client(other_county_admin)
    assert client.get("/people/CAD1/compliance/").status_code == 404
    assert client.get("/orgs/K1/compliance/").status_code == 404
    assert signed_in_client(member).get("/people/MEM1/compliance/").status_code == 200
