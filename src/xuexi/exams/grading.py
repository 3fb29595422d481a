"""Reading and grading answers: the canonical form of an answer, and whether a response matches it.

Pure functions, no database: the services store the canonical answer, an exam grades against it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from xuexi.exams.models import QuestionKind

LETTERS = "ABCDEFGH"
MIN_OPTIONS, MAX_OPTIONS = 2, 8
TRUE_ANSWER, FALSE_ANSWER = "对", "错"
_TRUE_WORDS = {"对", "正确", "是", "√", "✓", "t", "true", "y", "yes", "1"}
_FALSE_WORDS = {"错", "错误", "否", "×", "✗", "x", "f", "false", "n", "no", "0"}
# A fill-in accepts several answers: 甲｜乙 or 甲|乙.
ACCEPTED_SEPARATORS = re.compile(r"[|｜]")
_LETTER_NOISE = re.compile(r"[\s,，、;；]+")


class AnswerError(ValueError):
    """The answer does not fit the kind; the message says what is expected."""


def fold(text: str) -> str:
    """A fill-in as compared: full-width folded to half-width (NFKC), inner blanks squeezed, case ignored."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def canonical_answer(kind: str, text: str, option_count: int) -> str:
    """The stored form of an answer as typed in a form or a spreadsheet; AnswerError when it does not fit."""
    value = unicodedata.normalize("NFKC", text).strip()
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        letters = _LETTER_NOISE.sub("", value).upper()
        allowed = LETTERS[:option_count]
        if not letters or any(letter not in allowed for letter in letters) or len(set(letters)) != len(letters):
            raise AnswerError(f"选项字母 {'、'.join(allowed)}" + ("中的一个" if kind == QuestionKind.SINGLE else
                                                                   "中的两个或更多，如 AC"))
        if kind == QuestionKind.SINGLE and len(letters) != 1:
            raise AnswerError(f"选项字母 {'、'.join(allowed)} 中的一个")
        if kind == QuestionKind.MULTIPLE and len(letters) < 2:
            raise AnswerError(f"选项字母 {'、'.join(allowed)} 中的两个或更多，如 AC")
        return "".join(sorted(letters))
    if kind == QuestionKind.JUDGE:
        word = value.casefold()
        if word in _TRUE_WORDS:
            return TRUE_ANSWER
        if word in _FALSE_WORDS:
            return FALSE_ANSWER
        raise AnswerError("对 或 错（也可写 正确/错误、√/×）")
    accepted = [part.strip() for part in ACCEPTED_SEPARATORS.split(value) if part.strip()]
    if not accepted:
        raise AnswerError("至少一个可接受的答案，多个用 | 分隔")
    return "|".join(accepted)


def is_correct(kind: str, answer: str, response: str | Sequence[str]) -> bool:
    """Whether a response (letters, 对/错, or the text typed) matches the canonical answer exactly.

    A multiple choice is right only with exactly the answer's set of letters: no partial credit.
    """
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        letters = "".join(response) if not isinstance(response, str) else response
        chosen = set(_LETTER_NOISE.sub("", unicodedata.normalize("NFKC", letters)).upper())
        return chosen == set(answer)
    text = response if isinstance(response, str) else "".join(response)
    if kind == QuestionKind.JUDGE:
        try:
            return canonical_answer(kind, text, 0) == answer
        except AnswerError:
            return False
    typed = fold(text)
    return bool(typed) and any(typed == fold(accepted) for accepted in ACCEPTED_SEPARATORS.split(answer))


def original_letters(displayed: str, order: Sequence[int]) -> str:
    """The letters a member chose, as the options were shown in their shuffled order, mapped back to the stored ones.

    ``order[i]`` is the stored index of the option shown at position i; letters beyond the options are dropped.
    """
    chosen = _LETTER_NOISE.sub("", unicodedata.normalize("NFKC", displayed)).upper()
    return "".join(sorted({LETTERS[order[LETTERS.index(c)]] for c in chosen
                           if c in LETTERS and LETTERS.index(c) < len(order)}))


def score(items: Sequence[tuple[str, str, int, str | None]]) -> tuple[int, list[bool]]:
    """The points of a sheet of (kind, canonical answer, points, response or None) and which items were right."""
    right = [response is not None and is_correct(kind, answer, response) for kind, answer, _, response in items]
    return sum(points for (_, _, points, _), ok in zip(items, right, strict=True) if ok), right
