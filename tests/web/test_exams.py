"""考学 pages: a member takes an exam and sees the score; an administrator imports questions and reads results."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.conftest import signed_in_client
from tests.exams.test_sheets import GOOD, _file
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.exams import papers, services
from xuexi.exams.models import Attempt, Question
from xuexi.exams.services import QuestionInput


def _open_exam(province_admin: User) -> None:
    scope = Scope.for_user(province_admin)
    services.question_create(actor=province_admin, scope=scope, code="W1", publisher_code="P", data=QuestionInput(
        area="科学发展观", kind="单选", stem="第一要义？", answer="A", difficulty="易", options=("发展", "以人为本")))
    services.question_create(actor=province_admin, scope=scope, code="W2", publisher_code="P", data=QuestionInput(
        area="吉林发展振兴经验", kind="填空", stem="省会？", answer="长春", difficulty="易"))
    papers.paper_create(actor=province_admin, scope=scope, code="WP", title="网页卷", publisher_code="P",
                        items=[papers.FixedItem("W1", 50), papers.FixedItem("W2", 50)])
    now = timezone.now()
    papers.exam_create(actor=province_admin, scope=scope, code="WE", org_code="P", data=papers.ExamInput(
        title="网页考试", paper="WP", opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1),
        duration_minutes=20, pass_mark=60))


def test_a_member_takes_the_exam_on_the_pages_and_sees_the_score(province_admin: User, member: User) -> None:
    # given
    _open_exam(province_admin)
    client = signed_in_client(member)
    # when
    home = client.get("/exams/")
    started = client.post("/exams/WE/start/")
    attempt = Attempt.objects.get()
    answers = {}
    for position, item in enumerate(attempt.sheet, start=1):
        question = Question.objects.get(pk=item["q"])
        answers[f"q{position}"] = "AB"[item["order"].index(0)] if question.kind == "单选" else " 长春 "
    done = client.post(started["Location"], {**answers, "action": "submit"}, follow=True)
    # then
    assert "网页考试" in home.content.decode()
    assert "得分 <strong>100</strong> / 100" in done.content.decode()


def test_an_admin_imports_questions_on_the_bank_page(county_admin: User) -> None:
    # given
    client = signed_in_client(county_admin)
    # when
    page = client.post("/exams/questions/import/", {"file": SimpleUploadedFile("q.csv", _file(GOOD))})
    # then
    assert "新增 4 道" in page.content.decode()
    assert Question.objects.count() == 4


def test_an_admin_makes_a_paper_and_sets_an_exam_on_the_pages(province_admin: User, county_admin: User) -> None:
    # given
    _open_exam(province_admin)
    client = signed_in_client(county_admin)
    # when
    bad = client.post("/exams/papers/new/", {"code": "KP", "title": "丙县卷", "publisher": "K1",
                                             "lines": "W1,10\n科学发展观,易"})
    paper = client.post("/exams/papers/new/", {"code": "KP", "title": "丙县卷", "publisher": "K1",
                                               "lines": "W1,40\nW2,60"})
    exam = client.post("/exams/new/", {"code": "KE", "title": "丙县考试", "paper": "KP", "org": "K1",
                                       "opens_at": "2026-01-01T08:00", "closes_at": "2026-01-31T18:00",
                                       "duration_minutes": "30", "max_attempts": "2", "pass_mark": "60",
                                       "shuffle": "on"})
    # then
    assert "第 2 行“科学发展观,易”无效" in bad.content.decode()
    assert (paper.status_code, exam.status_code) == (302, 302)
    assert "丙县考试" in client.get("/exams/").content.decode()


def test_the_bank_page_takes_a_fixed_number_of_queries(county_admin: User,
                                                       django_assert_max_num_queries: object) -> None:
    # given
    client = signed_in_client(county_admin)
    client.post("/exams/questions/import/", {"file": SimpleUploadedFile("q.csv", _file(GOOD))})
    # when / then
    with django_assert_max_num_queries(14):  # type: ignore[operator]  # 14 whatever the rows
        client.get("/exams/questions/")
