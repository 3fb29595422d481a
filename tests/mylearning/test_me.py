"""我的学习: a person's own year — hours, the norms that apply to them, plans, exams, practice, points."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import Tree, signed_in_client
from tests.mylearning.world import attended, rule, switch
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.cli import main
from xuexi.exams import listeners
from xuexi.learning import services as learning_services
from xuexi.learning.services import ActivityInput, AttendanceInput
from xuexi.mylearning.models import PointAction

TODAY = timezone.localdate()
YEAR = TODAY.year
D1 = date(YEAR, 1, 5)


def _cadre_year(tree: Tree, cadre: User) -> None:
    """CAD1: 40 hours of off-job training, a personal plan of 100 hours, today's practice, an exam passed."""
    learning_services.activity_save(actor=None, scope=whole_tree_scope(), data=ActivityInput(
        number="T1", kind="培训", host_code="K1", start_date=D1, end_date=D1 + timedelta(days=4), topic="理论培训班",
        hours=Decimal(40), training_type="理论培训", off_job=True))
    learning_services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number="T1",
                                        entries=[AttendanceInput("CAD1")])
    learning_services.personal_plan_save(actor=cadre, scope=Scope.for_user(cadre), person_number="CAD1", year=YEAR,
                                         goal_hours=Decimal(100), topics=["理论"], books=["《资本论》"])
    listeners.practice_graded(tree.cadre_person, TODAY - timedelta(days=1), questions=5, right=3)
    listeners.practice_graded(tree.cadre_person, TODAY, questions=5, right=4)


def test_a_cadre_sees_hours_norms_plan_practice_and_points(tree: Tree, cadre: User) -> None:
    # given
    _cadre_year(tree, cadre)
    rule(PointAction.PRACTICE, 2, 2)
    switch("P", True)
    client = signed_in_client(cadre)
    # when
    html = client.get("/me/").content.decode()
    data = client.get("/api/me/learning").json()
    # then: the page
    assert 'data-testid="me-hours">40<' in html
    assert "县处级以上领导干部脱产培训每年不少于 110 学时" in html and "实际 40 / 要求 110" in html
    assert f"/people/CAD1/compliance/?year={YEAR}" in html
    assert "目标 100 学时，已计入 40 学时（40%）" in html
    assert "2<span class=\"fs-6\"> 天连续" in html and "今天已练，答对 4/5" in html
    assert "积分按现行规则从学习记录计算" in html
    # and: the API holds the same
    assert data["person_number"] == "CAD1" and data["total_hours"] == 40
    assert data["by_kind"] == [{"kind": "培训", "hours": 40.0, "days": 5.0}]
    norm = next(n for n in data["norms"] if n["rule"] == "leader-off-job-training-110h")
    assert (norm["required"], norm["actual"], norm["status"]) == (110, 40, "in_progress")
    assert norm["label"] in ("进行中", "进度滞后")
    assert data["plan"]["goal_hours"] == 100 and data["plan"]["credited_hours"] == 40
    assert data["plan"]["topics"] == [{"goal": "理论", "records": 1}]
    assert data["practice"] == {"done_today": True, "right_today": 4, "questions_today": 5, "streak": 2,
                                "days_this_year": sum(1 for d in (TODAY, TODAY - timedelta(days=1)) if d.year == YEAR)}
    assert data["points"]["shown"] is True and data["points"]["today"] == 2


def test_exams_show_attempts_best_score_and_pass(tree: Tree, cadre: User, province_admin: User) -> None:
    from xuexi.exams import attempts, papers
    from xuexi.exams import services as exam_services

    # given: an exam for K1 of one true-or-false question, which CAD1 answers right
    scope = Scope.for_user(province_admin)
    exam_services.question_create(actor=province_admin, scope=scope, code="Q1", publisher_code="P",
                                  data=exam_services.QuestionInput(area="科学发展观", kind="判断", stem="判断",
                                                                   answer="对", difficulty="易"))
    papers.paper_create(actor=province_admin, scope=scope, code="PP", title="卷", publisher_code="P",
                        items=[papers.FixedItem("Q1", 100)])
    now = timezone.now()
    papers.exam_create(actor=province_admin, scope=scope, code="EXM", org_code="K1",
                       data=papers.ExamInput(title="我的学习测试考试", paper="PP", opens_at=now - timedelta(hours=1),
                                             closes_at=now + timedelta(days=1), duration_minutes=10, pass_mark=60,
                                             max_attempts=2))
    attempt = attempts.attempt_start(actor=cadre, person=tree.cadre_person, exam_code="EXM")
    attempts.attempt_submit(actor=cadre, person=tree.cadre_person, attempt_id=attempt.pk, responses={1: "对"})
    # when
    data = signed_in_client(cadre).get("/api/me/learning").json()
    # then
    assert data["exams"] == [{"code": "EXM", "title": "我的学习测试考试", "attempts": 1, "best": 100, "pass_mark": 60,
                              "passed": True}]
    assert data["open_exams"] == 1


def test_a_member_sees_only_their_own_and_others_are_turned_away(tree: Tree, member: User, county_admin: User,
                                                                 auditor: User) -> None:
    from django.test import Client

    # given: MEM1 and CAD1 both learned
    attended("MEM1", "A1", D1, hours="3")
    attended("CAD1", "A2", D1, host="K1", hours="7")
    # then: the member's page and API are theirs alone
    page = signed_in_client(member).get("/me/").content.decode()
    assert "王党员" in page and "李书记" not in page and 'data-testid="me-hours">3<' in page
    assert signed_in_client(member).get("/api/me/learning").json()["person_number"] == "MEM1"
    # and: an account without a person is refused, 三员 find nothing, the anonymous sign in first
    assert signed_in_client(county_admin).get("/me/").status_code == 403
    assert signed_in_client(county_admin).get("/api/me/points").status_code == 403
    assert signed_in_client(auditor).get("/me/").status_code == 404
    assert signed_in_client(auditor).get("/api/me/learning").status_code == 404
    assert Client().get("/me/").status_code == 302
    assert Client().get("/api/me/learning").status_code == 401
    # and: the navigation and the 工作台 lead the member there
    workbench = signed_in_client(member).get("/").content.decode()
    assert 'data-testid="nav-me"' in workbench and 'data-testid="workbench-me"' in workbench


def test_the_page_takes_as_many_queries_with_many_records_as_with_few(
        tree: Tree, cadre: User, django_assert_max_num_queries: Any) -> None:
    # given: the page seen once with a little (the year's standings built), points shown
    rule(PointAction.ACTIVITY, 1, 3)
    rule(PointAction.PRACTICE, 1, 1)
    switch("P", True)
    _cadre_year(tree, cadre)
    client = signed_in_client(cadre)
    client.get("/me/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/me/").status_code == 200
    # when: many more records of every kind
    for n in range(8):
        attended("CAD1", f"M{n}", D1 + timedelta(days=n), host="K1", kind="专题学习" if n % 2 else "中心组集体学习")
        listeners.practice_graded(tree.cadre_person, TODAY - timedelta(days=n + 2), questions=5, right=5)
    learning_services.claim_submit(actor=cadre, scope=Scope.for_user(cadre), title="自学", start_date=D1, hours=1)
    # then
    with django_assert_max_num_queries(len(few)):
        assert client.get("/me/").status_code == 200


def test_the_command_line_prints_the_breakdown(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    # given: MEM1 at two activities on a day, a point each, at most one a day; points not shown to them
    rule(PointAction.ACTIVITY, 1, 1)
    attended("MEM1", "A1", D1)
    attended("MEM1", "A2", D1)
    # when / then
    assert main(["points", "--person", "MEM1", "--year", str(YEAR), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{
        "person": "MEM1", "person_name": "王党员", "org": "B1", "year": YEAR, "action": "参加学习活动",
        "points_each": 1, "daily_cap": 1, "earned": 1}]
    assert main(["points", "--person", "MEM1", "--year", str(YEAR), "--format", "table"]) == 0
    assert "所在组织未开启学习积分" in capsys.readouterr().out
    assert main(["points", "--person", "ZZ404", "--year", str(YEAR)]) == 1
    assert "人员编号 ZZ404 不存在" in capsys.readouterr().err


