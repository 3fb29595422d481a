"""Grading: the canonical answer and the comparison, for any order of options and any spelling of a fill-in."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xuexi.exams.grading import LETTERS, AnswerError, canonical_answer, fold, is_correct

EXAMPLES = settings(max_examples=60, deadline=None)


@st.composite
def choice_questions(draw: st.DrawFn) -> tuple[str, int, str]:
    count = draw(st.integers(min_value=2, max_value=8))
    kind = draw(st.sampled_from(["单选", "多选"]))
    size = 1 if kind == "单选" else draw(st.integers(min_value=2, max_value=count))
    letters = draw(st.permutations(LETTERS[:count]))[:size]
    return kind, count, "".join(letters)


@EXAMPLES
@given(question=choice_questions(), data=st.data())
def test_a_correct_set_of_letters_in_any_order_is_correct(question: tuple[str, int, str], data: st.DataObject) -> None:
    # given
    kind, count, typed = question
    answer = canonical_answer(kind, typed, count)
    # when
    response = "".join(data.draw(st.permutations(typed)))
    # then
    assert is_correct(kind, answer, response)
    assert is_correct(kind, answer, list(response))


@EXAMPLES
@given(question=choice_questions(), extra=st.sampled_from(LETTERS))
def test_a_multiple_choice_with_one_letter_more_or_less_is_wrong(question: tuple[str, int, str], extra: str) -> None:
    # given
    kind, count, typed = question
    answer = canonical_answer(kind, typed, count)
    # when
    fewer, more = typed[1:], typed + extra
    # then
    assert not is_correct(kind, answer, fewer)
    assert is_correct(kind, answer, more) is (extra in typed)


@EXAMPLES
@given(accepted=st.lists(st.text(alphabet="党章学习ABCabc１２３ ", min_size=1, max_size=6).filter(str.strip),
                         min_size=1, max_size=3), pick=st.integers(min_value=0, max_value=2))
def test_any_accepted_fill_in_answer_matches_whatever_its_width_case_and_edge_blanks(accepted: list[str],
                                                                                    pick: int) -> None:
    # given
    answer = canonical_answer("填空", "｜".join(accepted), 0)
    chosen = accepted[pick % len(accepted)]
    # when
    typed = "  " + chosen.upper().replace("1", "１") + " "
    # then
    assert is_correct("填空", answer, typed)


def test_fill_in_folds_full_width_and_case() -> None:
    assert fold("ＡＢＣ　１２") == fold("abc 12")
    assert is_correct("填空", canonical_answer("填空", "长春|长春市", 0), "长春市")
    assert not is_correct("填空", canonical_answer("填空", "长春|长春市", 0), "")


@pytest.mark.parametrize("typed", ["对", "正确", "√", "T", "true"])
def test_judge_answers_read_as_true(typed: str) -> None:
    assert canonical_answer("判断", typed, 0) == "对"
    assert is_correct("判断", "对", typed)


@pytest.mark.parametrize(("kind", "typed", "count"), [("单选", "AB", 4), ("单选", "E", 4), ("多选", "A", 4),
                                                      ("判断", "也许", 0), ("填空", "｜ ", 0), ("多选", "AAB", 4)])
def test_answers_that_do_not_fit_the_kind_are_refused(kind: str, typed: str, count: int) -> None:
    with pytest.raises(AnswerError):
        canonical_answer(kind, typed, count)
