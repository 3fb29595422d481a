"""Changing a question, a paper (until anyone sat it) and an exam (until it opens), on the pages and in services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import Tree, signed_in_client
from tests.exams.test_attempts import POINTS, QUESTIONS
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind
from xuexi.exams import attempts, papers, services
from xuexi.exams.errors import ExamsError
from xuexi.exams.models import Exam, Paper, Question


@pytest.fixture
def upcoming(tree: Tree, county_admin: User) -> Exam:
    """A paper of K1's own questions and an exam of it opening tomorrow."""
    scope = Scope.for_user(county_admin)
    for code, data in QUESTIONS.items():
        services.question_create(actor=county_admin, scope=scope, code=code, publisher_code="K1", data=data)
    papers.paper_create(actor=county_admin, scope=scope, code="PAPER1", title="测试卷", publisher_code="K1",
                        items=[papers.FixedItem(code, points) for code, points in POINTS.items()])
    tomorrow = timezone.now() + timedelta(days=1)
    return papers.exam_create(actor=county_admin, scope=scope, code="EX1", org_code="K1", data=papers.ExamInput(
        title="丙县测试", paper="PAPER1", opens_at=tomorrow, closes_at=tomorrow + timedelta(days=1),
        duration_minutes=30, pass_mark=60))


def _exam_form(exam: Exam, **changes: object) -> dict[str, object]:
    local = "%Y-%m-%dT%H:%M"
    form: dict[str, object] = {
        "title": exam.title, "opens_at": timezone.localtime(exam.opens_at).strftime(local),
        "closes_at": timezone.localtime(exam.closes_at).strftime(local), "duration_minutes": 45,
        "max_attempts": 2, "pass_mark": 70, "shuffle": "on"}
    form.update(changes)
    return form


def test_an_administrator_reorders_removes_and_reweights_a_papers_questions(upcoming: Exam,
                                                                             county_admin: User) -> None:
    # when
    response = signed_in_client(county_admin).post("/exams/papers/PAPER1/edit/", {
        "title": "测试卷（修订）", "lines": "F1,40\nS1,30\nJ1,30"})
    # then
    assert response.status_code == 302
    paper = Paper.objects.get(code="PAPER1")
    assert paper.title == "测试卷（修订）"
    assert [(i.question.code, i.points, i.position) for i in paper.items.select_related("question")] == [
        ("F1", 40, 1), ("S1", 30, 2), ("J1", 30, 3)]
    assert AuditEvent.objects.filter(action="paper_update", object_id="PAPER1").exists()


def test_a_paper_someone_sat_is_not_changed_and_the_exam_is_named(upcoming: Exam, county_admin: User,
                                                                   member: User) -> None:
    # given
    Exam.objects.filter(pk=upcoming.pk).update(opens_at=timezone.now() - timedelta(hours=1))
    attempts.attempt_start(actor=member, person=member.person, exam_code="EX1")
    # when
    response = signed_in_client(county_admin).post("/exams/papers/PAPER1/edit/", {
        "title": "测试卷", "lines": "S1,100"})
    # then
    assert response.status_code == 200
    assert "试卷 PAPER1 用于的考试“丙县测试”（EX1）已有人作答，不能再修改试卷；请另建试卷" in response.content.decode()
    assert Paper.objects.get(code="PAPER1").items.count() == 4


def test_a_paper_below_an_exams_pass_mark_is_refused(upcoming: Exam, county_admin: User) -> None:
    # when
    with pytest.raises(DomainError) as caught:
        papers.paper_update(actor=county_admin, scope=Scope.for_user(county_admin), code="PAPER1", title="测试卷",
                            items=[papers.FixedItem("S1", 20)])
    # then
    assert caught.value.detail == ("修改后试卷满分为 20 分，低于考试“丙县测试”（EX1）的及格分 60 分："
                                   "请先修改该考试的及格分，或增加分值")
    assert Paper.objects.get(code="PAPER1").items.count() == 4


def test_an_exam_is_changed_until_it_opens(upcoming: Exam, county_admin: User) -> None:
    # given
    client = signed_in_client(county_admin)
    # when
    before = client.post("/exams/EX1/edit/", _exam_form(upcoming))
    Exam.objects.filter(pk=upcoming.pk).update(opens_at=timezone.now() - timedelta(minutes=1))
    after = client.post("/exams/EX1/edit/", _exam_form(upcoming, pass_mark=80))
    # then
    assert before.status_code == 302
    exam = Exam.objects.get(pk=upcoming.pk)
    assert (exam.duration_minutes, exam.max_attempts, exam.pass_mark) == (45, 2, 70)
    assert after.status_code == 200
    assert "考试“丙县测试”（EX1）已于" in after.content.decode() and "开考，不能再修改" in after.content.decode()
    assert AuditEvent.objects.filter(action="exam_update", object_id="EX1").count() == 1


def test_another_countys_administrator_finds_no_such_exam_or_paper(upcoming: Exam, other_county_admin: User) -> None:
    # given
    client = signed_in_client(other_county_admin)
    # when
    exam = client.post("/exams/EX1/edit/", _exam_form(upcoming))
    paper = client.get("/exams/papers/PAPER1/edit/")
    # then
    assert (exam.status_code, paper.status_code) == (404, 404)


def test_a_question_is_edited_and_disabled_on_the_pages(upcoming: Exam, county_admin: User,
                                                        city_admin: User) -> None:
    # given
    client = signed_in_client(county_admin)
    # when
    edited = client.post("/exams/questions/S1/edit/", {
        "area": "科学发展观", "kind": "单选", "difficulty": "中", "stem": "改过的单选", "options": "甲\n乙\n丙",
        "answer": "C", "explanation": "", "enabled": "on"})
    disabled = client.post("/exams/questions/J1/enabled/", {"enabled": "0"})
    bad = client.post("/exams/questions/S1/edit/", {
        "area": "科学发展观", "kind": "单选", "difficulty": "中", "stem": "改过的单选", "options": "甲\n乙\n丙",
        "answer": "E", "explanation": "", "enabled": "on"})
    # then
    assert (edited.status_code, disabled.status_code) == (302, 302)
    s1 = Question.objects.get(code="S1")
    assert (s1.stem, s1.options, s1.answer, s1.difficulty) == ("改过的单选", ["甲", "乙", "丙"], "C", "中")
    assert Question.objects.get(code="J1").enabled is False
    assert bad.status_code == 200 and "答案“E”不符合要求" in bad.content.decode()


def test_a_reviewer_sees_a_question_but_may_not_change_it(upcoming: Exam, reviewer: User) -> None:
    # when
    with pytest.raises(DomainError) as caught:
        services.question_update(actor=reviewer, scope=Scope.for_user(reviewer), code="S1",
                                 changes={"enabled": False})
    # then
    assert caught.value.kind == ErrorKind.FORBIDDEN and caught.value.code == ExamsError.QUESTION_FORBIDDEN
