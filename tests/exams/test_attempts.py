"""Papers, exams and attempts: the deadline, the attempts limit, shuffles, grading on the server, results."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Tree
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind
from xuexi.exams import attempts, grading, papers, selectors, services
from xuexi.exams.models import Attempt, Exam, Question
from xuexi.exams.services import QuestionInput

QUESTIONS = {
    "S1": QuestionInput(area="科学发展观", kind="单选", stem="单选一", answer="B", difficulty="易",
                        options=("甲", "乙", "丙", "丁")),
    "M1": QuestionInput(area="科学发展观", kind="多选", stem="多选一", answer="AC", difficulty="中",
                        options=("甲", "乙", "丙", "丁")),
    "J1": QuestionInput(area="岗位专业知识", kind="判断", stem="判断一", answer="对", difficulty="易"),
    "F1": QuestionInput(area="岗位专业知识", kind="填空", stem="填空一", answer="长春|长春市", difficulty="易"),
}
RIGHT = {"S1": "B", "M1": "AC", "J1": "对", "F1": "长春市"}
POINTS = {"S1": 20, "M1": 30, "J1": 20, "F1": 30}


@pytest.fixture
def exam(province_admin: User, county_admin: User) -> Exam:
    scope = Scope.for_user(province_admin)
    for code, data in QUESTIONS.items():
        services.question_create(actor=province_admin, scope=scope, code=code, publisher_code="P", data=data)
    papers.paper_create(actor=province_admin, scope=scope, code="PAPER1", title="测试卷", publisher_code="P",
                        items=[papers.FixedItem(code, points) for code, points in POINTS.items()])
    now = timezone.now()
    return papers.exam_create(actor=county_admin, scope=Scope.for_user(county_admin), code="EX1", org_code="K1",
                              data=papers.ExamInput(title="丙县测试", paper="PAPER1", opens_at=now - timedelta(hours=1),
                                                    closes_at=now + timedelta(days=1), duration_minutes=30,
                                                    pass_mark=60, max_attempts=2))


def _displayed(attempt: Attempt, position: int, original: str) -> str:
    """What a member clicks to choose the stored letters `original` on their shuffled sheet."""
    order = attempt.sheet[position - 1]["order"]
    return "".join(grading.LETTERS[order.index(grading.LETTERS.index(letter))] for letter in original)


def _right_responses(attempt: Attempt) -> dict[int, str]:
    codes = {q.pk: q.code for q in Question.objects.all()}
    responses = {}
    for position, item in enumerate(attempt.sheet, start=1):
        code = codes[item["q"]]
        responses[position] = _displayed(attempt, position, RIGHT[code]) if code in ("S1", "M1") else RIGHT[code]
    return responses


def test_a_member_with_every_answer_right_gets_full_marks_and_passes(exam: Exam, member: User) -> None:
    # given
    attempt = attempts.attempt_start(actor=member, person=member.person, exam_code="EX1")
    # when
    done = attempts.attempt_submit(actor=member, person=member.person, attempt_id=attempt.pk,
                                   responses=_right_responses(attempt))
    # then
    assert (done.score, done.total, done.passed) == (100, 100, True)


def test_the_deadline_is_the_duration_or_the_closing_whichever_comes_first(exam: Exam, member: User) -> None:
    # given
    late_start = exam.closes_at - timedelta(minutes=10)
    # when
    attempt = attempts.attempt_start(actor=member, person=member.person, exam_code="EX1", now=late_start)
    # then
    assert attempt.deadline == exam.closes_at


def test_a_late_hand_in_is_graded_only_on_answers_saved_in_time(exam: Exam, member: User) -> None:
    # given
    attempt = attempts.attempt_start(actor=member, person=member.person, exam_code="EX1")
    right = _right_responses(attempt)
    first = next(iter(right))
    attempts.answers_save(person=member.person, attempt_id=attempt.pk, responses={first: right[first]})
    after = attempt.deadline + timedelta(seconds=1)
    # when
    with pytest.raises(DomainError) as refused:
        attempts.answers_save(person=member.person, attempt_id=attempt.pk, responses=right, now=after)
    done = attempts.attempt_submit(actor=member, person=member.person, attempt_id=attempt.pk, responses=right,
                                   now=after)
    # then
    assert refused.value.kind == ErrorKind.CONFLICT
    assert done.score == POINTS[Question.objects.get(pk=attempt.sheet[0]["q"]).code]


def test_the_attempts_limit_holds_and_a_running_attempt_is_resumed(exam: Exam, member: User) -> None:
    # given
    first = attempts.attempt_start(actor=member, person=member.person, exam_code="EX1")
    resumed = attempts.attempt_start(actor=member, person=member.person, exam_code="EX1")
    attempts.attempt_submit(actor=member, person=member.person, attempt_id=first.pk)
    second = attempts.attempt_start(actor=member, person=member.person, exam_code="EX1")
    attempts.attempt_submit(actor=member, person=member.person, attempt_id=second.pk)
    # when
    with pytest.raises(DomainError) as refused:
        attempts.attempt_start(actor=member, person=member.person, exam_code="EX1")
    # then
    assert resumed.pk == first.pk
    assert (second.seq, refused.value.code) == (2, "exam_attempts_used")


def test_an_exam_outside_the_members_tree_is_not_found(exam: Exam, cadre: User, tree: Tree) -> None:
    # given: CAD1 is in K1 itself, so reaches EX1; a person of K3 does not
    from tests import factories

    outsider = factories.make_person(tree.other_county, number="OUT1")
    # when
    with pytest.raises(DomainError) as refused:
        attempts.attempt_start(actor=None, person=outsider, exam_code="EX1")
    # then
    assert refused.value.kind == ErrorKind.NOT_FOUND
    assert attempts.attempt_start(actor=cadre, person=cadre.person, exam_code="EX1").seq == 1


def test_results_roll_up_by_organization_and_list_each_person(exam: Exam, member: User, cadre: User,
                                                              tree: Tree) -> None:
    # given
    good = attempts.attempt_start(actor=member, person=member.person, exam_code="EX1")
    attempts.attempt_submit(actor=member, person=member.person, attempt_id=good.pk, responses=_right_responses(good))
    poor = attempts.attempt_start(actor=cadre, person=cadre.person, exam_code="EX1")
    attempts.attempt_submit(actor=cadre, person=cadre.person, attempt_id=poor.pk)
    # when
    by_org = selectors.exam_results_by_org(exam=exam, org=tree.county)
    by_person = selectors.exam_results_by_person(exam=exam, org=tree.county)
    # then
    assert [(r.code, r.takers, r.passed, r.average) for r in by_org] == [("K1", 2, 1, 50.0), ("T1", 1, 1, 100.0)]
    assert [(r.number, r.best, r.passed) for r in by_person] == [("CAD1", 0, False), ("MEM1", 100, True)]


def test_a_pass_mark_above_the_papers_total_is_refused(exam: Exam, county_admin: User) -> None:
    now = timezone.now()
    with pytest.raises(DomainError, match="及格分“101”"):
        papers.exam_create(actor=county_admin, scope=Scope.for_user(county_admin), code="EX2", org_code="K1",
                           data=papers.ExamInput(title="过高", paper="PAPER1", opens_at=now,
                                                 closes_at=now + timedelta(days=1), duration_minutes=30,
                                                 pass_mark=101))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32), right=st.sets(st.sampled_from(list(RIGHT))))
def test_any_shuffle_grades_the_same_and_never_above_the_total(exam: Exam, member: User, seed: int,
                                                               right: set[str]) -> None:
    # given: a sheet shuffled by any seed, the answers in `right` given correctly and the rest left out
    Attempt.objects.all().delete()
    sheet = attempts._draw_sheet(exam, random.Random(seed))
    now: datetime = timezone.now()
    attempt = Attempt.objects.create(exam=exam, person=member.person, seq=1, started_at=now,
                                     deadline=now + timedelta(minutes=30), sheet=sheet, total=100)
    codes = {q.pk: q.code for q in Question.objects.all()}
    responses = {p: r for p, r in _right_responses(attempt).items() if codes[sheet[p - 1]["q"]] in right}
    # when
    done = attempts.attempt_submit(actor=None, person=member.person, attempt_id=attempt.pk, responses=responses)
    # then
    assert done.score == sum(POINTS[code] for code in right)
    assert 0 <= (done.score or 0) <= done.total


def test_an_attempt_left_open_past_its_deadline_is_handed_in_with_what_was_saved(exam: Exam, member: User) -> None:
    # given
    attempt = attempts.attempt_start(actor=member, person=member.person, exam_code="EX1")
    right = _right_responses(attempt)
    attempts.answers_save(person=member.person, attempt_id=attempt.pk, responses=right)
    # when
    closed = attempts.attempts_close_expired(exam=exam, now=attempt.deadline + timedelta(minutes=1))
    # then
    attempt.refresh_from_db()
    assert (closed, attempt.score, attempt.submitted_at) == (1, 100, attempt.deadline)
