"""考试学时: the province sets what an exam's pass credits; a person's first pass writes it into the ledger once."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.conftest import Tree, signed_in_client
from tests.exams.test_attempts import _right_responses, exam  # noqa: F401 -- the exam fixture
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, Forbidden
from xuexi.exams import attempts, credit
from xuexi.exams.models import Exam
from xuexi.learning import selectors as learning_selectors
from xuexi.learning.models import CreditTotal, PlatformCredit


def _sit(member: User, *, right: bool) -> None:
    attempt = attempts.attempt_start(actor=member, person=member.person, exam_code="EX1")
    attempts.attempt_submit(actor=member, person=member.person, attempt_id=attempt.pk,
                            responses=_right_responses(attempt) if right else {})


def test_a_first_pass_credits_the_exams_hours_once(exam: Exam, member: User, province_admin: User,  # noqa: F811
                                                   tree: Tree) -> None:
    # given: the province credits 1.5 h for passing
    credit.exam_credit_set(actor=province_admin, scope=Scope.for_user(province_admin), code="EX1",
                           credit_hours=Decimal("1.5"))
    # when: a member passes, then passes again
    _sit(member, right=True)
    _sit(member, right=True)
    # then: one credit, dated the hand-in's day in Shanghai, in the ledger and the archive
    [row] = PlatformCredit.objects.filter(person=tree.member_person)
    assert (row.source, row.reference, row.kind, row.hours, row.date) == (
        "考试", "EX1", "网络学习", Decimal("1.50"), timezone.localdate())
    assert CreditTotal.objects.get(person=tree.member_person, kind="网络学习").hours_centi == 150
    archive = learning_selectors.person_archive(scope=Scope.for_user(member), person=tree.member_person,
                                                year=timezone.localdate().year)
    [entry] = [e for e in archive.entries if e.source == "考试"]
    assert entry.counted and entry.reason == "考试《丙县测试》合格（平台记录）"
    assert json.loads(AuditEvent.objects.filter(action="attempt_submit").order_by("seq").first().detail)[
        "credit_hours"] == "1.50"


def test_a_failed_attempt_credits_nothing(exam: Exam, member: User, province_admin: User) -> None:  # noqa: F811
    # given
    credit.exam_credit_set(actor=province_admin, scope=Scope.for_user(province_admin), code="EX1",
                           credit_hours=Decimal("1.5"))
    # when
    _sit(member, right=False)
    # then
    assert not PlatformCredit.objects.exists()


def test_an_exam_without_credit_credits_nothing(exam: Exam, member: User) -> None:  # noqa: F811
    # when
    _sit(member, right=True)
    # then
    assert not PlatformCredit.objects.exists()


def test_only_the_province_sets_an_exams_credit(exam: Exam, county_admin: User) -> None:  # noqa: F811
    # when / then: the county that set the exam is refused, naming the field
    with pytest.raises(Forbidden) as refused:
        credit.exam_credit_set(actor=county_admin, scope=Scope.for_user(county_admin), code="EX1",
                               credit_hours=Decimal(1))
    assert "合格计入学时" in refused.value.detail
    assert Exam.objects.get(code="EX1").credit_hours is None


def test_a_credit_out_of_range_is_refused_and_the_change_is_audited(exam: Exam,  # noqa: F811
                                                                   province_admin: User) -> None:
    scope = Scope.for_user(province_admin)
    # when / then
    with pytest.raises(DomainError) as refused:
        credit.exam_credit_set(actor=province_admin, scope=scope, code="EX1", credit_hours=Decimal(30))
    assert refused.value.field == "credit_hours" and "30" in refused.value.detail
    # and a good one is kept and audited
    credit.exam_credit_set(actor=province_admin, scope=scope, code="EX1", credit_hours=Decimal(2))
    detail = json.loads(AuditEvent.objects.get(action="exam_credit_set").detail)
    assert (detail["before"], detail["after"]) == (None, "2")


def test_the_province_sets_the_credit_on_the_exams_page(exam: Exam, province_admin: User,  # noqa: F811
                                                        county_admin: User) -> None:
    # given: the province's administrator on the exams page, which offers the field
    client = signed_in_client(province_admin)
    assert 'data-testid="exam-credit"' in client.get("/exams/").content.decode()
    # when: a number that is not one, then 2 hours, then blank
    refused = client.post("/exams/EX1/credit/", {"credit_hours": "两小时"}, follow=True)
    assert "合格计入学时“两小时”不是数字" in refused.content.decode()
    assert Exam.objects.get(code="EX1").credit_hours is None
    too_many = client.post("/exams/EX1/credit/", {"credit_hours": "25"}, follow=True)
    assert "合格计入学时“25”无效" in too_many.content.decode()
    client.post("/exams/EX1/credit/", {"credit_hours": "2"})
    assert Exam.objects.get(code="EX1").credit_hours == Decimal(2)
    client.post("/exams/EX1/credit/", {"credit_hours": ""})
    # then: cleared again; a county administrator sees no field and is refused
    assert Exam.objects.get(code="EX1").credit_hours is None
    county = signed_in_client(county_admin)
    assert 'data-testid="exam-credit"' not in county.get("/exams/").content.decode()
    assert county.post("/exams/EX1/credit/", {"credit_hours": "1"}).status_code == 403
    assert Exam.objects.get(code="EX1").credit_hours is None
