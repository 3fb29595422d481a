"""每日一练: five questions per person per day, the same all day, graded at once."""

from __future__ import annotations

from datetime import date

from tests.conftest import Tree
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.exams import selectors, services
from xuexi.exams.services import QuestionInput

DAY = date(2026, 11, 27)


def _bank(province_admin: User, county_admin: User) -> None:
    for n in range(12):
        data = QuestionInput(area="科学发展观", kind="判断", stem=f"判断题 {n}", answer="对", difficulty="易")
        services.question_create(actor=province_admin, scope=Scope.for_user(province_admin), code=f"P{n:02d}",
                                 publisher_code="P", data=data)
    services.question_create(actor=county_admin, scope=Scope.for_user(county_admin), code="K1-ONLY",
                             publisher_code="K1", data=QuestionInput(area="科学发展观", kind="判断", stem="丙县题",
                                                                     answer="错", difficulty="易"))


def test_the_same_five_all_day_from_the_bank_reaching_the_member(province_admin: User, county_admin: User,
                                                                  member: User, tree: Tree) -> None:
    # given
    _bank(province_admin, county_admin)
    person = member.person
    # when
    morning = selectors.daily_practice(person, DAY)
    evening = selectors.daily_practice(person, DAY)
    week = {tuple(q.code for q in selectors.daily_practice(person, date(2026, 12, d))) for d in range(1, 8)}
    # then
    assert [q.code for q in morning] == [q.code for q in evening]
    assert len({q.code for q in morning}) == 5
    assert len(week) > 1


def test_practice_is_graded_at_once(province_admin: User, county_admin: User, member: User) -> None:
    # given
    _bank(province_admin, county_admin)
    questions = selectors.daily_practice(member.person, DAY)
    responses = {n: q.answer for n, q in enumerate(questions, start=1) if n <= 3}
    # when
    results = selectors.practice_grade(member.person, DAY, responses)
    # then
    assert [r.correct for r in results] == [True, True, True, False, False]
