"""制度落实 pages: every row says why, the roll-up follows the tree, and both keep to the scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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
    assert f'<a href="/orgs/K1/compliance/?year={THIS_YEAR}">K1</a></td><td>1</td>' in html
    assert "年度学习总结和计划的报送功能尚未上线" in html


def test_compliance_pages_keep_to_the_scope(tree: Tree, other_county_admin: User, member: User) -> None:
    client = signed_in_client(other_county_admin)
    assert client.get("/people/CAD1/compliance/").status_code == 404
    assert client.get("/orgs/K1/compliance/").status_code == 404
    assert signed_in_client(member).get("/people/MEM1/compliance/").status_code == 200
