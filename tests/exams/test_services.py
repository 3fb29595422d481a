"""The question bank's services: validation naming each field, scope, audit."""

from __future__ import annotations

import pytest

from tests.conftest import Tree
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind
from xuexi.exams import selectors, services
from xuexi.exams.models import Question
from xuexi.exams.services import QuestionInput

SINGLE = QuestionInput(area="科学发展观", kind="单选", stem="科学发展观的第一要义是？", answer="a",
                       difficulty="易", options=("发展", "以人为本", "统筹兼顾"), explanation="十七大报告")


def _create(user: User, code: str = "Q-K1-1", publisher: str = "K1", data: QuestionInput = SINGLE) -> Question:
    return services.question_create(actor=user, scope=Scope.for_user(user), code=code, publisher_code=publisher,
                                    data=data)


def test_county_admin_adds_a_question_stored_canonical_and_audited(county_admin: User) -> None:
    # when
    question = _create(county_admin)
    # then
    assert (question.answer, question.publisher.code, question.options) == ("A", "K1", ["发展", "以人为本", "统筹兼顾"])
    assert AuditEvent.objects.filter(action="question_create", object_id="Q-K1-1").exists()


def test_every_wrong_field_is_named_in_chinese(county_admin: User) -> None:
    # given
    bad = QuestionInput(area="无此内容", kind="多选", stem=" ", answer="Z", difficulty="很难", options=("只有一项",))
    # when
    with pytest.raises(DomainError) as refused:
        _create(county_admin, data=bad)
    # then
    for label in ("学习内容“无此内容”", "难度“很难”", "题干", "选项“只有一项”", "答案“Z”"):
        assert label in refused.value.detail
    assert not Question.objects.exists()


def test_a_question_for_an_organization_outside_the_scope_is_not_found(county_admin: User, tree: Tree) -> None:
    with pytest.raises(DomainError) as refused:
        _create(county_admin, publisher="K3")
    assert refused.value.kind == ErrorKind.NOT_FOUND


def test_a_reviewer_sees_but_cannot_change_a_question(county_admin: User, reviewer: User) -> None:
    # given
    _create(county_admin)
    # when
    with pytest.raises(DomainError) as refused:
        services.question_update(actor=reviewer, scope=Scope.for_user(reviewer), code="Q-K1-1",
                                 changes={"enabled": False})
    # then
    assert refused.value.kind == ErrorKind.FORBIDDEN
    assert [q.code for q in selectors.question_list(scope=Scope.for_user(reviewer))] == ["Q-K1-1"]


def test_an_update_checks_the_whole_question_again(county_admin: User) -> None:
    # given
    _create(county_admin)
    scope = Scope.for_user(county_admin)
    # when
    with pytest.raises(DomainError) as refused:
        services.question_update(actor=county_admin, scope=scope, code="Q-K1-1", changes={"kind": "判断"})
    services.question_update(actor=county_admin, scope=scope, code="Q-K1-1", changes={"answer": "C"})
    # then
    assert "选项" in refused.value.detail
    assert Question.objects.get(code="Q-K1-1").answer == "C"


def test_an_unknown_field_is_refused(county_admin: User) -> None:
    _create(county_admin)
    with pytest.raises(DomainError, match="publisher"):
        services.question_update(actor=county_admin, scope=Scope.for_user(county_admin), code="Q-K1-1",
                                 changes={"publisher": "P"})


def test_a_member_is_asked_the_questions_of_their_organization_and_above(province_admin: User, county_admin: User,
                                                                         city_admin: User, tree: Tree) -> None:
    # given
    _create(province_admin, code="Q-P", publisher="P")
    _create(county_admin, code="Q-K1")
    _create(city_admin, code="Q-K2", publisher="K2")
    services.question_update(actor=county_admin, scope=Scope.for_user(county_admin), code="Q-K1",
                             changes={"enabled": False})
    _create(county_admin, code="Q-T1", publisher="T1")
    # when
    reaching = selectors.questions_reaching(tree.branch.path)
    # then
    assert sorted(q.code for q in reaching) == ["Q-P", "Q-T1"]
